// diffElements: what "compare with template" shows; templateVersionOf: which release a copy came from.
import { describe, expect, test } from 'vitest';
import { diffElements, processTemplate, templateVersionOf } from '../src/index.ts';

const incident = processTemplate('itsm-incident')?.bpmn as string;

describe('diffElements', () => {
  test('a template against itself, or only its diagram moved, has no differences', async () => {
    expect(await diffElements(incident, incident)).toEqual({ added: [], removed: [], changed: [] });
    const moved = incident.replace(/(<dc:Bounds x=")(\d+)/g, (_m, a, x) => `${a}${Number(x) + 40}`);
    expect(moved).not.toBe(incident);
    expect(await diffElements(incident, moved)).toEqual({ added: [], removed: [], changed: [] });
  });

  test('names a changed attribute, a removed element and an added one by id', async () => {
    const edited = incident
      .replace('sl:dueDate="PT30M"', 'sl:dueDate="PT20M"')
      .replace(
        '<bpmn:endEvent id="majorAlready" name="Already running" />',
        '<bpmn:endEvent id="majorAlready" name="Already running" /><bpmn:endEvent id="extraEnd" name="Extra" />',
      )
      .replace(/<bpmn:intermediateCatchEvent id="autoClose"[\s\S]*?<\/bpmn:intermediateCatchEvent>/, '');
    expect(edited).toContain('extraEnd');
    const diff = await diffElements(incident, edited);
    expect(diff.added).toEqual([{ id: 'extraEnd', type: 'EndEvent', name: 'Extra' }]);
    expect(diff.removed.map((e) => e.id)).toContain('autoClose');
    expect(diff.changed.map((e) => e.id)).toContain('major-comms');
    expect(diff.changed.map((e) => e.id)).not.toContain('major-pir');
  });

  test('a changed condition or message reference counts as a change', async () => {
    const edited = incident.replace('reopened = true', 'reopened = false').replace('messageRef="msg_hold"', 'messageRef="msg_resume"');
    const changed = (await diffElements(incident, edited)).changed.map((e) => e.id);
    expect(changed).toEqual(expect.arrayContaining(['reopenedToInProgress', 'progressHold']));
  });
});

test('templateVersionOf reads the release a copy was made from', () => {
  expect(templateVersionOf(incident)).toBe(1);
  expect(templateVersionOf(incident.replace('exporterVersion="1"', 'exporterVersion="7"'))).toBe(7);
  expect(templateVersionOf(incident.replace('exporter="ServiceLoom templates"', 'exporter="Camunda Modeler"'))).toBeNull();
});
