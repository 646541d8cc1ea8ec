// The ITSM templates routes (runtime-api modules/templates): the tenant's copies of the templates.
import { type Static, Type } from 'typebox';

const Localized = Type.Object({ en: Type.String(), 'zh-CN': Type.String() });

export const TemplateKeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) });

export const TemplateStatus = Type.Object({
  key: Type.String(),
  name: Localized,
  templateVersion: Type.Integer(),
  deployedVersion: Type.Union([Type.Integer(), Type.Null()]),
  basedOn: Type.Union([Type.Integer(), Type.Null()]),
  customised: Type.Boolean(),
  upgradeAvailable: Type.Boolean(),
});

export type TemplateStatus = Static<typeof TemplateStatus>;

export const TemplateList = Type.Array(TemplateStatus);

export const TemplateReset = Type.Object({ key: Type.String(), version: Type.Integer(), created: Type.Boolean() });
export type TemplateReset = Static<typeof TemplateReset>;

const ElementRef = Type.Object({ id: Type.String(), type: Type.String(), name: Type.Optional(Type.String()) });

export const TemplateDiff = Type.Object({
  key: Type.String(),
  templateVersion: Type.Integer(),
  deployedVersion: Type.Integer(),
  added: Type.Array(ElementRef),
  removed: Type.Array(ElementRef),
  changed: Type.Array(ElementRef),
});
export type TemplateDiff = Static<typeof TemplateDiff>;
