// The service catalog (what a requester may ask for, with the approval chain each item needs) and
// approvals (the decisions people owe on requests and changes).
import { type Static, Type } from 'typebox';
import { FORM_KEY_PATTERN, GROUP_ID_PATTERN, Nullable } from './common.ts';

export const CATALOG_KEY_PATTERN = FORM_KEY_PATTERN;
const CatalogKey = Type.String({ pattern: CATALOG_KEY_PATTERN, description: 'Letters, digits, _ . - (at most 100)' });

/** A text in the product's languages: `en` always (the fallback), `zh-CN` when translated. */
export const LocalizedText = (maxLength: number) =>
  Type.Object(
    { en: Type.String({ minLength: 1, maxLength }), 'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength })) },
    { additionalProperties: false },
  );

export const ApprovalStep = Type.Object(
  {
    kind: Type.Union([Type.Literal('manager'), Type.Literal('group')], {
      description: "manager: the requester's manager; group: every member of a group",
    }),
    group: Type.Optional(Type.String({ pattern: GROUP_ID_PATTERN, description: 'group steps: the group, by id' })),
    groupField: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'group steps: the form field holding the group id' }),
    ),
    when: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: "FEEL over the request's fields; the step is skipped unless it is true" }),
    ),
  },
  { additionalProperties: false },
);
export type ApprovalStep = Static<typeof ApprovalStep>;

const ItemFields = {
  name: LocalizedText(200),
  category: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(LocalizedText(5000)),
  formKey: Type.Optional(Nullable(Type.String({ pattern: FORM_KEY_PATTERN, description: "the item's form; defaults to its key" }))),
  approval: Type.Optional(Type.Array(ApprovalStep, { maxItems: 20, description: 'steps in order; none: approved at once' })),
  fulfilmentGroup: Type.Optional(
    Nullable(Type.String({ pattern: GROUP_ID_PATTERN, description: 'the group that fulfils it; null: fulfilled automatically' })),
  ),
};

export const CreateCatalogItemBody = Type.Object({ key: CatalogKey, ...ItemFields }, { additionalProperties: false });
export type CreateCatalogItemBody = Static<typeof CreateCatalogItemBody>;

export const UpdateCatalogItemBody = Type.Object(ItemFields, { additionalProperties: false });
export type UpdateCatalogItemBody = Static<typeof UpdateCatalogItemBody>;

export const CatalogKeyParams = Type.Object({ key: CatalogKey }, { additionalProperties: false });

export const CatalogItem = Type.Object({
  key: Type.String(),
  name: LocalizedText(200),
  category: Type.String(),
  description: LocalizedText(5000),
  formKey: Nullable(Type.String()),
  approval: Type.Array(ApprovalStep),
  fulfilmentGroup: Nullable(Type.String()),
});
export type CatalogItem = Static<typeof CatalogItem>;

export const CatalogList = Type.Array(CatalogItem);

export const APPROVAL_STATES = ['requested', 'approved', 'rejected', 'escalated', 'cancelled'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
const ApprovalStateSchema = Type.Union([
  Type.Literal('requested'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('escalated'),
  Type.Literal('cancelled'),
]);

export const ApprovalQuery = Type.Object({ state: Type.Optional(ApprovalStateSchema) }, { additionalProperties: false });
export type ApprovalQuery = Static<typeof ApprovalQuery>;

export const Approval = Type.Object({
  id: Type.String(),
  ticket: Type.String({ description: 'the ticket number' }),
  title: Type.String({ description: "the ticket's title" }),
  step: Type.Integer({ minimum: 1, description: "the step's position in the item's approval list (1 is the first); 1 for a change" }),
  state: ApprovalStateSchema,
  requestedAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Approval = Static<typeof Approval>;

export const ApprovalList = Type.Array(Approval);

export const DecisionBody = Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type DecisionBody = Static<typeof DecisionBody>;
