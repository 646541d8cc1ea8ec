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
