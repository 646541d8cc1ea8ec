// A published form, rendered by @rjsf/core with the shared validator, in one language, with the
// server's field errors (FORM_INVALID) shown where they belong.
import CoreForm, { type IChangeEvent, type ThemeProps, withTheme } from '@rjsf/core';
import { type ErrorSchema, TranslatableString } from '@rjsf/utils';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormDocument, localize, MARKDOWN_FIELD, type UiSchema } from '../schema.ts';
import type { FieldError, FormLanguage, JsonSchema } from '../validation.ts';
import { errorSchemaOf } from './errors.ts';
import { formValidator, transformErrors } from './validator.ts';
import { MarkdownField, type RenderContext, SectionsTemplate, widgets } from './widgets.tsx';

export interface FormRendererProps extends Omit<RenderContext, 'lang'> {
  schema: JsonSchema;
  uiSchema?: UiSchema;
  formData?: Record<string, unknown>;
  /** The language of labels and messages (defaults to i18next's). */
  lang?: FormLanguage;
  /** Called with valid data only (the shared validator ran). */
  onSubmit?: (data: Record<string, unknown>) => void;
  onChange?: (data: Record<string, unknown>) => void;
  /** Errors the server answered (FORM_INVALID details). */
  serverErrors?: FieldError[];
  disabled?: boolean;
  /** The submit button's label and data-testid; `false`: no button. */
  submitLabel?: string | false;
  submitTestId?: string;
  liveValidate?: boolean;
  children?: ReactNode;
  idPrefix?: string;
  /** An rjsf theme (such as @rjsf/antd's) for the host's look; rjsf's plain HTML otherwise. */
  theme?: ThemeProps;
}

const ZH_CN: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: '项',
  [TranslatableString.EmptyArray]: '还没有条目，请用下面的按钮添加。',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.ErrorsLabel]: '错误',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.AddItemButton]: '添加一行',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.OptionPrefix]: '选项 %1',
};

function translator(lang: FormLanguage) {
  return (key: TranslatableString, params?: string[]) => {
    const text = (lang === 'zh-CN' ? ZH_CN[key] : undefined) ?? key;
    return (params ?? []).reduce((s, p, i) => s.replaceAll(`%${i + 1}`, p), text as string);
  };
}

/** The document as rjsf renders it: one language, and Markdown on for read-only text fields. */
export function renderable(doc: FormDocument, lang: FormLanguage): FormDocument {
  const { schema, uiSchema } = localize(doc, lang);
  for (const [name, ui] of Object.entries(uiSchema)) {
    if (ui && typeof ui === 'object' && (ui as UiSchema)['ui:field'] === MARKDOWN_FIELD) {
      uiSchema[name] = { ...(ui as UiSchema), 'ui:enableMarkdownInDescription': true };
    }
  }
  return { schema, uiSchema };
}

const FIELDS = { [MARKDOWN_FIELD]: MarkdownField };
const TEMPLATES = { ObjectFieldTemplate: SectionsTemplate };
const NO_OP = () => {};
const DEFAULTS = { constAsDefaults: 'skipOneOf' as const };

export function FormRenderer(props: FormRendererProps) {
  const { i18n, t } = useTranslation('formBuilder');
  const lang: FormLanguage = props.lang ?? (i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  const doc = useMemo(
    () => renderable({ schema: props.schema, uiSchema: props.uiSchema ?? {} }, lang),
    [props.schema, props.uiSchema, lang],
  );
  const context: RenderContext = useMemo(
    () => ({
      lang,
      ...(props.pickers ? { pickers: props.pickers } : {}),
      ...(props.upload ? { upload: props.upload } : {}),
      ...(props.download ? { download: props.download } : {}),
      ...(props.describeAttachment ? { describeAttachment: props.describeAttachment } : {}),
    }),
    [lang, props.pickers, props.upload, props.download, props.describeAttachment],
  );
  const Form = useMemo(() => (props.theme ? withTheme(props.theme) : CoreForm), [props.theme]);
  const extraErrors = useMemo(() => errorSchemaOf(props.serverErrors) as ErrorSchema | undefined, [props.serverErrors]);
  const submit =
    props.submitLabel === false ? (
      // rjsf renders its own submit button when given no children: an empty fragment is "no button".
      // biome-ignore lint/complexity/noUselessFragments: see above
      <></>
    ) : (
      <div className="sl-actions">
        <button type="submit" className="sl-primary" data-testid={props.submitTestId} disabled={props.disabled}>
          {props.submitLabel ?? t('render.submit')}
        </button>
      </div>
    );
  return (
    <div className="sl-form" lang={lang}>
      <Form
        schema={doc.schema}
        uiSchema={doc.uiSchema}
        formData={props.formData}
        validator={formValidator()}
        formContext={context}
        fields={FIELDS}
        widgets={widgets}
        templates={TEMPLATES}
        transformErrors={transformErrors(doc.schema, lang)}
        translateString={translator(lang)}
        {...(extraErrors ? { extraErrors } : {})}
        showErrorList={false}
        noHtml5Validate
        omitExtraData
        // Options are `oneOf` consts: none of them is a default (rjsf would pick the first).
        experimental_defaultFormStateBehavior={DEFAULTS}
        disabled={props.disabled}
        {...(props.idPrefix ? { idPrefix: props.idPrefix } : {})}
        {...(props.liveValidate ? { liveValidate: 'onChange' as const } : {})}
        onChange={(e: IChangeEvent) => props.onChange?.((e.formData ?? {}) as Record<string, unknown>)}
        onSubmit={(e: IChangeEvent) => props.onSubmit?.((e.formData ?? {}) as Record<string, unknown>)}
        // The errors are shown at their fields; rjsf would also log them.
        onError={NO_OP}
      >
        {props.children ?? submit}
      </Form>
    </div>
  );
}
