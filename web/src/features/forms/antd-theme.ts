// The rjsf theme rendered forms use in the app: Ant Design's (@rjsf/antd), so task forms look like
// the rest of the product.
import { Theme } from '@rjsf/antd';
import type { FormRendererProps } from '@serviceloom/form-builder';

export const antdFormTheme = Theme as NonNullable<FormRendererProps['theme']>;
