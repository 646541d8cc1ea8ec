// The placeholder substitution: a plain lookup of a path, never evaluated, never re-rendered, and
// blind to what an object inherits; the locale a user's `locale` reads as; each rule event has
// a default in both languages.
import { NOTIFICATION_EVENTS } from '@serviceloom/contracts';
import { describe, expect, it } from 'vitest';
import { checkTemplate, DEFAULT_TEMPLATES, localeOf, pick, render, type TemplateContext } from './templates.ts';

const ctx: TemplateContext = {
  ticket: { number: 'INC0000007', title: 'Say {{actor}}', priority: 1, fields: { site: 'Shanghai' }, assignee: null },
  actor: 'Wang Fang',
  event: 'ticket.created',
  data: { threshold: 75 },
};

describe('render', () => {
  it('substitutes paths, leaves missing and inherited ones empty, and never renders a value again', () => {
    expect(render('[{{ticket.number}}] {{ ticket.title }} by {{actor}} ({{data.threshold}}%)', ctx)).toBe(
      '[INC0000007] Say {{actor}} by Wang Fang (75%)',
    );
    expect(render('{{ticket.fields.site}}/{{ticket.nothing}}/{{ticket.assignee}}/{{nope.deeper}}', ctx)).toBe('Shanghai///');
    expect(render('{{ticket.constructor}}{{ticket.__proto__}}{{data.toString}}', ctx)).toBe('');
    expect(render('{{ process.exit() }} {{ticket.number', ctx)).toBe('{{ process.exit() }} {{ticket.number');
  });

  it('refuses a placeholder a context cannot hold, naming the field', () => {
    expect(() => checkTemplate({ en: { subject: 'ok {{ticket.title}}', body: '{{env.SECRET}}' } }, 'template')).toThrow(
      /"template\.en\.body": unknown placeholder/,
    );
    expect(() => checkTemplate({ 'zh-CN': { subject: '{{actor}}{{event}}{{data.x}}', body: '{{ticket.a.b}}' } }, 'template')).not.toThrow();
  });
});

describe('languages', () => {
  it('reads anything Chinese as zh-CN and everything else as English', () => {
    expect(localeOf('zh-CN')).toBe('zh-CN');
    expect(localeOf('zh')).toBe('zh-CN');
    expect(localeOf('en')).toBe('en');
    expect(localeOf(null)).toBe('en');
  });

  it('picks the rule’s wording for the language, else its English, else the tenant’s, else the default', () => {
    const rule = { en: { subject: 'rule en', body: 'b' } };
    const tenant = { 'zh-CN': { subject: 'tenant zh', body: 'b' } };
    expect(pick('zh-CN', 'ticket.created', rule, tenant).subject).toBe('rule en');
    expect(pick('zh-CN', 'ticket.created', null, tenant).subject).toBe('tenant zh');
    expect(pick('en', 'ticket.created', null, tenant).subject).toBe(DEFAULT_TEMPLATES['ticket.created']?.en.subject);
  });

  it('has a default in both languages for every rule event and the approval reminder', () => {
    for (const event of [...NOTIFICATION_EVENTS, 'approval.reminder']) {
      expect(DEFAULT_TEMPLATES[event]?.en.subject, event).toBeTruthy();
      expect(DEFAULT_TEMPLATES[event]?.['zh-CN'].body, event).toBeTruthy();
    }
  });
});
