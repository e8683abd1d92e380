// The service's input limits, as the front ends check them before sending: the same numbers
// and the same e-mail rule as chalicelib/domain/validation.py, so a form never accepts what
// the service then refuses (the service checks again; these only spare a pointless request).

/** docs/protocol.md: a message's text is 1..4000 characters. */
export const MAX_TEXT = 4000;

/** The e-mail field's maximum length (validation.email: max_len=254, before trimming). */
export const MAX_EMAIL = 254;

// Python's `\s` and str.strip() (what the service uses) know a few more spaces than
// JavaScript's (U+001C..U+001F, U+0085) and one fewer (U+FEFF): spelled out, so both agree.
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "gu");

/** validation.EMAIL_RE, counting characters (code points) as Python does. */
export const EMAIL_RE = new RegExp(`^[^@${SPACE}]{1,64}@[^@${SPACE}]{1,190}\\.[^@${SPACE}]{2,63}$`, "u");

/** `value.strip()` as the service does it. */
export function strip(value) {
  return String(value).replace(STRIP, "");
}

/** Would the service take this as an e-mail address? At most 254 characters, then the rule, trimmed. */
export function isEmail(value) {
  if (typeof value !== "string" || [...value].length > MAX_EMAIL) return false;
  return EMAIL_RE.test(strip(value));
}

/** A trimmed, non-empty string of at most `max` characters, else undefined (settings, attributes). */
export function clean(value, max = 500) {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}
