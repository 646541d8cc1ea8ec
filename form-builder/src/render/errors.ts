// Server-side field errors (FORM_INVALID details: JSON pointers) as an rjsf error schema.
import type { ErrorSchema } from '@rjsf/utils';
import type { FieldError } from '../validation.ts';

export function errorSchemaOf(errors: readonly FieldError[] | undefined): ErrorSchema | undefined {
  if (!errors?.length) return undefined;
  const root: Record<string, any> = {};
  for (const { pointer, message } of errors) {
    const path = pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let at = root;
    for (const part of path) {
      at[part] ??= {};
      at = at[part];
    }
    at.__errors = [...(at.__errors ?? []), message];
  }
  return root as ErrorSchema;
}
