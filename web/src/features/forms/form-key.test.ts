import { FORM_KEY_PATTERN as SERVER_PATTERN } from '@serviceloom/contracts';
import { describe, expect, test } from 'vitest';
import { FORM_KEY_PATTERN, formKeyProblem } from './form-key.ts';

describe('a new form key', () => {
  test('is the key the server accepts', () => {
    expect(FORM_KEY_PATTERN.source).toBe(SERVER_PATTERN);
  });

  test('a missing or invalid key is named, so the dialog shows why nothing was created', () => {
    expect(formKeyProblem('')).toBe('keyRequired');
    expect(formKeyProblem('-leading-dash')).toBe('keyInvalid');
    expect(formKeyProblem('has space')).toBe('keyInvalid');
    expect(formKeyProblem('k'.repeat(101))).toBe('keyInvalid');
    expect(formKeyProblem('incident.triage-v2')).toBeUndefined();
  });
});
