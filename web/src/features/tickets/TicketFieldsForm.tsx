// A ticket's own fields through its type's published form, read-only. Its own chunk: rjsf and the
// form validator load only when a ticket has a form to show.
import RjsfForm from '@rjsf/antd';
import { formValidator } from '@serviceloom/form-builder';

export default function TicketFieldsForm({
  schema,
  uiSchema,
  formData,
}: {
  schema: object;
  uiSchema: object;
  formData: Record<string, unknown>;
}) {
  return (
    <RjsfForm
      schema={schema}
      uiSchema={{ ...uiSchema, 'ui:submitButtonOptions': { norender: true } }}
      formData={formData}
      validator={formValidator()}
      readonly
    />
  );
}
