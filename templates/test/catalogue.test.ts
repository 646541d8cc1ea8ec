// Every template compiles without warnings, names only documented states and actions, and offers
// in each state exactly the actions docs/itsm-api.md's tables give (the template's `actions`).
import { describe, expect, test } from 'vitest';
import { CATALOG_ITEMS, FORMS, GROUPS, PROCESS_TEMPLATES, processTemplate } from '../src/index.ts';
import { definitionOf, resolution, Ticket } from './driver.ts';

describe.each(PROCESS_TEMPLATES.map((p) => [p.key, p] as const))('%s', (key, template) => {
  test('compiles without warnings, as its own key', async () => {
    const def = await definitionOf(key);
    expect(def.warnings).toEqual([]);
    expect(def.processId).toBe(key);
  });

  test('sl:state values are documented states; messages are ticket.<documented action>', async () => {
    const def = await definitionOf(key);
    const used = new Set(Object.values(def.nodes).flatMap((n) => (n.recordState ? [n.recordState] : [])));
    expect([...used].filter((s) => !template.states.includes(s))).toEqual([]);
    if (template.recordType) expect([...used].sort()).toEqual([...template.states].sort()); // every state is reachable as an element
    const documented = new Set([...Object.values(template.actions).flat(), ...template.moduleMessages]);
    const names = [...template.bpmn.matchAll(/<bpmn:message [^>]*name="([^"]+)"/g)].map((m) => m[1] as string);
    for (const name of names) {
      expect(name.startsWith('ticket.')).toBe(true);
      expect(documented.has(name.slice('ticket.'.length))).toBe(true);
    }
  });

  test('forms and groups it names exist in the catalogue', () => {
    const groups = new Set(GROUPS.map((g) => g.id));
    for (const [, list] of template.bpmn.matchAll(/sl:candidateGroups="([^"]+)"/g)) {
      for (const g of (list as string).split(',')) expect(groups.has(g.trim())).toBe(true);
    }
    const forms = new Set(FORMS.map((f) => f.key));
    for (const [, formKey] of template.bpmn.matchAll(/sl:formKey="([^"]+)"/g)) expect(forms.has(formKey as string)).toBe(true);
    if (template.formKey) expect(forms.has(template.formKey)).toBe(true);
  });
});

test('catalog items use existing forms and groups', () => {
  const forms = new Set(FORMS.map((f) => f.key));
  const groups = new Set(GROUPS.map((g) => g.id));
  expect(CATALOG_ITEMS.map((i) => i.key)).toEqual(['password-reset', 'software-install', 'access-request', 'new-laptop']);
  for (const item of CATALOG_ITEMS) {
    expect(forms.has(item.formKey)).toBe(true);
    expect(groups.has(item.fulfilmentGroup)).toBe(true);
    for (const step of item.approval) if (step.group) expect(groups.has(step.group)).toBe(true);
    for (const step of item.approval) {
      if (step.groupField)
        expect(Object.keys((FORMS.find((f) => f.key === item.formKey)?.schema.properties ?? {}) as object)).toContain(step.groupField);
    }
  }
});

// How to bring a fresh ticket of each type into each state where it waits for an action.
type Recipe = { vars?: Record<string, unknown>; steps: (t: Ticket) => void };
const none = () => {};
const RECIPES: Record<string, Record<string, Recipe>> = {
  'itsm-incident': {
    new: { steps: none },
    in_progress: { steps: (t) => t.act('start') },
    on_hold: { steps: (t) => t.act('start').act('hold', { reason: 'awaiting_vendor' }) },
    resolved: { steps: (t) => t.act('resolve', resolution(t.now)) },
  },
  'itsm-request': {
    approval: { vars: { needsApproval: true }, steps: none },
    in_progress: { vars: { needsApproval: false }, steps: none },
    on_hold: { vars: { needsApproval: false }, steps: (t) => t.act('hold') },
    resolved: { vars: { needsApproval: false }, steps: (t) => t.act('resolve', resolution(t.now, 'fulfilled')) },
  },
  'itsm-problem': {
    new: { steps: none },
    assess: { steps: (t) => t.act('assess') },
    root_cause_analysis: { steps: (t) => t.act('assess').act('start-rca') },
    fix_in_progress: { steps: (t) => t.act('assess').act('start-rca').act('start-fix') },
    resolved: { steps: (t) => t.act('resolve', { closeCode: 'fix_applied' }) },
  },
  'itsm-change': {
    new: { steps: none },
    assess: { steps: (t) => t.act('submit') },
    authorize: { steps: (t) => t.act('submit').act('request-authorization') },
    scheduled: { steps: (t) => t.act('submit').act('request-authorization').act('approved') },
    implement: { steps: (t) => t.act('submit').act('request-authorization').act('approved').act('implement') },
    review: { steps: (t) => t.act('submit').act('request-authorization').act('approved').act('implement').act('review') },
  },
  'itsm-release': {
    planning: { steps: none },
    build: { steps: (t) => t.act('build') },
    test: { steps: (t) => t.act('build').act('test') },
    deploy: { steps: (t) => t.act('build').act('test').act('deploy') },
    review: { steps: (t) => t.act('build').act('test').act('deploy').act('review') },
  },
  'itsm-knowledge': {
    draft: { steps: none },
    review: { steps: (t) => t.act('submit') },
    published: { steps: (t) => t.act('submit').act('approve') },
  },
};

describe('available actions per state match the docs', () => {
  const cases = PROCESS_TEMPLATES.flatMap((p) => Object.keys(p.actions).map((state) => [p.key, state] as const));
  test('every state with actions has a recipe', () => {
    for (const [key, state] of cases) expect(RECIPES[key]?.[state], `${key} ${state}`).toBeDefined();
  });
  test.each(cases)('%s in %s', async (key, state) => {
    const template = processTemplate(key);
    const recipe = RECIPES[key]?.[state] as Recipe;
    const t = await Ticket.start(key, { ticket: { number: 'X0000001', changeType: 'normal' }, ...recipe.vars });
    recipe.steps(t);
    expect(t.current).toBe(state);
    expect(t.actions(template?.moduleMessages)).toEqual([...(template?.actions[state] ?? [])].sort());
  });
  test('a major incident offers the same actions (declaring again starts no second procedure)', async () => {
    const t = await Ticket.start('itsm-incident', {});
    t.act('start').act('declare-major', { reason: 'p1' });
    expect(t.actions(['major-resolved'])).toEqual(['cancel', 'declare-major', 'hold', 'resolve']);
  });
});
