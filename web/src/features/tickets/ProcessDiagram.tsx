// The ticket's process with where it stands highlighted: bpmn-js's NavigatedViewer (through the
// designer's createViewer, so sl: attributes load), imported lazily by the ticket page so the
// viewer's code loads only there. The position is the instance's active elements when the caller
// may read the instance; otherwise the elements that carry the ticket's state (sl:state).
import { createViewer, layoutIfNeeded } from '@serviceloom/designer';
import { useEffect, useRef, useState } from 'react';
import './tickets.css';

const HIGHLIGHT = 'sl-current';

export default function ProcessDiagram({ xml, active, state }: { xml: string; active: string[] | undefined; state: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!container.current) return;
    const viewer = createViewer({ container: container.current });
    let cancelled = false;
    (async () => {
      try {
        const laid = await layoutIfNeeded(xml);
        if (cancelled) return;
        await viewer.importXML(laid.xml);
        if (cancelled) return;
        const registry = viewer.get('elementRegistry');
        const canvas = viewer.get('canvas');
        const current = active?.length
          ? active
          : registry
              .filter((e: { businessObject?: { $attrs?: Record<string, string>; state?: string } }) => {
                const bo = e.businessObject;
                return (bo?.$attrs?.['sl:state'] ?? bo?.state) === state;
              })
              .map((e: { id: string }) => e.id);
        for (const id of current) if (registry.get(id)) canvas.addMarker(id, HIGHLIGHT);
        canvas.zoom('fit-viewport', 'auto');
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      viewer.destroy();
    };
  }, [xml, active, state]);
  if (failed) return null;
  return (
    <div
      ref={container}
      data-testid="ticket-diagram"
      style={{ height: 260, border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff' }}
      role="img"
      aria-label="process diagram"
    />
  );
}
