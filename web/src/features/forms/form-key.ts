// Keys of forms (the server's FORM_KEY pattern): checked in the page, with a message, rather than by
// an HTML `pattern` attribute (browsers compile those with the `v` flag, where this class is invalid).
export const FORM_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** What is wrong with a new form key, or undefined. */
export function formKeyProblem(key: string): 'keyRequired' | 'keyInvalid' | undefined {
  if (!key.trim()) return 'keyRequired';
  return FORM_KEY_PATTERN.test(key) ? undefined : 'keyInvalid';
}
