// Deployed BPMN processes and their versions, and suspending or activating them.
import { type Static, Type } from 'typebox';

export const DefinitionSummary = Type.Object({
  id: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  name: Type.Union([Type.String(), Type.Null()]),
  deployedAt: Type.String({ format: 'date-time' }),
  deployedBy: Type.Union([Type.String(), Type.Null()]),
  suspended: Type.Boolean({ description: 'Suspended: its start events start nothing until it is activated' }),
  instances: Type.Optional(
    Type.Object(
      { active: Type.Integer(), total: Type.Integer() },
      { description: 'Instances of this version: running now (active) and in all (listed by /versions)' },
    ),
  ),
});
export type DefinitionSummary = Static<typeof DefinitionSummary>;

export const DefinitionList = Type.Array(DefinitionSummary);
export type DefinitionList = Static<typeof DefinitionList>;

export const DefinitionWithXml = Type.Intersect([DefinitionSummary, Type.Object({ bpmnXml: Type.String() })]);
export type DefinitionWithXml = Static<typeof DefinitionWithXml>;

export const DefinitionKeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type DefinitionKeyParams = Static<typeof DefinitionKeyParams>;

/** Deploying and saving a draft take the same body: the BPMN XML. */
export const BpmnBody = Type.Object({ bpmnXml: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export type BpmnBody = Static<typeof BpmnBody>;

/** A warning compile gives a model that deploys: an extension kept but not executed, an unreachable element... */
export const ModelWarning = Type.Object({
  elementId: Type.String({ description: "The element's id ('' for the document)" }),
  message: Type.String(),
});
export type ModelWarning = Static<typeof ModelWarning>;

/** The deploy reply: the version, and the warnings its model compiled with (the designer shows them). */
export const DeployedDefinition = Type.Intersect([DefinitionSummary, Type.Object({ warnings: Type.Array(ModelWarning) })]);
export type DeployedDefinition = Static<typeof DeployedDefinition>;

const ImportFinding = Type.Object({
  element: Type.String({ description: "The element's id ('' for the document as a whole)" }),
  what: Type.String({ description: "The extension or construct as written ('' when the reason says it all)" }),
  reason: Type.String(),
});

/** POST /definitions/import-check: what a model of any dialect would become here, before it is deployed. */
export const ImportReport = Type.Object({
  runs: Type.Boolean({ description: 'Whether the model compiles: deploying it would succeed' }),
  dialect: Type.Union(
    [Type.Literal('serviceloom'), Type.Literal('camunda'), Type.Literal('zeebe'), Type.Literal('flowable'), Type.Literal('activiti')],
    {
      description: 'The extension dialect the document is read in (the namespace it declares)',
    },
  ),
  processId: Type.Optional(Type.String()),
  asWritten: Type.Array(Type.Object({ element: Type.String(), type: Type.String() }), {
    description: "Elements without another dialect's extensions and without findings: they run as written",
  }),
  mapped: Type.Array(
    Type.Object({ element: Type.String(), attribute: Type.String(), to: Type.String(), note: Type.Optional(Type.String()) }),
    { description: 'Extensions of another dialect the engine reads, and what each becomes here' },
  ),
  ignored: Type.Array(ImportFinding, { description: 'Extensions kept but not executed; each is also one of warnings' }),
  refused: Type.Array(ImportFinding, { description: 'What keeps the model from deploying, each naming its element' }),
  warnings: Type.Array(ModelWarning, { description: 'Every warning a deployment would return' }),
});
export type ImportReport = Static<typeof ImportReport>;
