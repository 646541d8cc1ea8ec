// A clickable tile of the portal (an item of the catalog, "report an incident"): looks like antd's
// hoverable Card, without it. antd's Card imports its Tabs (for tabbed cards), some 10 kB gzipped
// of the portal's first load, which the issue holds under 300 kB.
import type { CSSProperties, ReactNode } from 'react';

export function Tile({
  children,
  onOpen,
  style,
  testId,
  label,
  className,
}: {
  children: ReactNode;
  onOpen(): void;
  style?: CSSProperties;
  testId: string;
  label?: string;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={className ? `sl-tile ${className}` : 'sl-tile'}
      aria-label={label}
      data-testid={testId}
      style={style}
      onClick={onOpen}
    >
      {children}
    </button>
  );
}
