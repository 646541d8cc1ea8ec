// The rjsf validator of every ServiceLoom form in the browser: @rjsf/validator-ajv8 building its
// ajv from the shared configuration (validation.ts), so the browser accepts and refuses exactly
// what the server does, with the same messages.
import type { RJSFValidationError } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { type FormLanguage, type JsonSchema, messageOf, parentSchemaAt, rjsfValidatorOptions } from '../validation.ts';

let validator: ReturnType<typeof customizeValidator> | undefined;

/** One validator for the whole page (ajv compiles each schema once). */
export function formValidator() {
  validator ??= customizeValidator(rjsfValidatorOptions as unknown as Parameters<typeof customizeValidator>[0]);
  return validator;
}

/** rjsf's errors with the server's messages (the field's own, in the form's language). */
export function transformErrors(schema: JsonSchema, lang: FormLanguage) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] =>
    errors
      .filter((e) => e.name !== 'if')
      .map((e) => {
        const keyword = e.name === 'const' && /\/(oneOf|anyOf)\/\d+\/const$/.test(e.schemaPath ?? '') ? 'oneOf' : (e.name ?? '');
        const parent = keyword === 'oneOf' ? undefined : parentSchemaAt(schema, e.schemaPath ?? '');
        const message = messageOf(keyword, (e.params ?? {}) as Record<string, unknown>, parent, lang);
        return { ...e, message, stack: `${e.property ?? ''} ${message}`.trim() };
      });
}
