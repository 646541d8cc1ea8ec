import { compile } from '@serviceloom/engine';
import { describe, expect, test } from 'vitest';
import { KEY_PATTERN, keyProblem, newProcessXml, processIdOf } from './new-process.ts';

describe('a new process', () => {
  test('compiles as it is, keyed and named as asked (names escaped)', async () => {
    const xml = newProcessXml('change-request', 'Change <standard> & "normal"');
    const definition = await compile(xml);
    expect(definition.processId).toBe('change-request');
    expect(definition.name).toBe('Change <standard> & "normal"');
    expect(definition.warnings).toEqual([]);
    expect(processIdOf(xml)).toBe('change-request');
  });

  test('imported files are keyed by their process id', () => {
    expect(processIdOf('<definitions><process isExecutable="true" id="order"/></definitions>')).toBe('order');
    expect(processIdOf('<bpmn:definitions><bpmn:process id="x1" name="X"></bpmn:process></bpmn:definitions>')).toBe('x1');
    expect(processIdOf('<bpmn:definitions/>')).toBeUndefined();
  });

  test('keys are BPMN ids that read well in a URL', () => {
    expect(KEY_PATTERN.test('incident-v2')).toBe(true);
    expect(KEY_PATTERN.test('2fast')).toBe(false);
    expect(KEY_PATTERN.test('a b')).toBe(false);
  });

  test('a missing or invalid key is named, so the dialog shows why nothing was created', () => {
    expect(keyProblem('')).toBe('keyRequired');
    expect(keyProblem('  ')).toBe('keyRequired');
    expect(keyProblem('2fast')).toBe('keyInvalid');
    expect(keyProblem('has space')).toBe('keyInvalid');
    expect(keyProblem('x'.repeat(101))).toBe('keyInvalid');
    expect(keyProblem('incident-v2')).toBeUndefined();
  });
});
