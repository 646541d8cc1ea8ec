// The designer's drafts: work in progress on a process key, saved unchecked.
import { type Static, Type } from 'typebox';

export const DefinitionDraft = Type.Object({
  key: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});
export type DefinitionDraft = Static<typeof DefinitionDraft>;

export const DefinitionDraftList = Type.Array(DefinitionDraft);
export type DefinitionDraftList = Static<typeof DefinitionDraftList>;

export const DefinitionDraftWithXml = Type.Intersect([DefinitionDraft, Type.Object({ bpmnXml: Type.String() })]);
export type DefinitionDraftWithXml = Static<typeof DefinitionDraftWithXml>;
