/**
 * Errors and input checks of the provisioning API, host-independent. Every refusal names the
 * field: `{code: 'invalid', message: 'name: 1–100 characters', fields: {name: '1–100 characters'}}`.
 */

export type ProvisioningErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    /** Per-field messages (the path of the field → what is wrong), for `invalid`. */
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** One field refused: `fieldError('name', 'required')` → message `name: required`. */
export function fieldError(field: string, message: string): ProvisioningError {
  return new ProvisioningError('invalid', `${field}: ${message}`, { [field]: message });
}

/** A field whose value another record holds already (`conflict`, 409). */
export function conflict(field: string, message: string): ProvisioningError {
  return new ProvisioningError('conflict', `${field}: ${message}`, { [field]: message });
}

/** Tenant and channel ids: what the WebSocket path and the attachment folders accept. */
export const SLUG = /^[\w-]{1,64}$/;
export const SLUG_RULE = '1–64 letters, digits, "_" or "-"';

/** External ids from a CRM: any text without control characters, at most 200 characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const EXTERNAL_ID = /^[^\u0000-\u001f\u007f]{1,200}$/;
export const EXTERNAL_ID_RULE = '1–200 characters, no control characters';

export function checkExternalId(value: string, field = 'externalId'): string {
  if (!EXTERNAL_ID.test(value)) throw fieldError(field, EXTERNAL_ID_RULE);
  return value;
}

export function checkSlug(value: string, field: string): string {
  if (!SLUG.test(value)) throw fieldError(field, SLUG_RULE);
  return value;
}

/**
 * Reads the fields of one JSON object, collecting every problem; `done()` throws them together.
 * Fields not in `allowed` are refused (a typo must not be silently ignored). `prefix` names the
 * object in messages (`agents[3].`).
 */
export class Fields {
  private readonly errors: Record<string, string> = {};

  constructor(
    private readonly body: Record<string, unknown>,
    allowed: readonly string[],
    private readonly prefix = '',
  ) {
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) this.fail(key, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  /** True when the field is present (null counts as present: it clears). */
  has(name: string): boolean {
    return this.body[name] !== undefined;
  }

  /** The field's value as sent (not checked). */
  raw(name: string): unknown {
    return this.body[name];
  }

  fail(name: string, message: string): void {
    this.errors[this.path(name)] ??= message;
  }

  /** The full path of a field of this object (`agents[3].name`), e.g. the prefix of a nested one. */
  path(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Records a problem at a full path (not under this object's prefix). */
  absorbProblem(path: string, message: string): void {
    this.errors[path] ??= message;
  }

  /** Takes over the problems of a nested object's checks (their keys are full paths already). */
  absorb(nested: Fields): void {
    for (const [k, m] of Object.entries(nested.errors)) this.errors[k] ??= m;
  }

  /** Text, trimmed; `required` refuses absence; `max` characters. */
  text(name: string, rule: { required?: boolean; max: number; min?: number; pattern?: RegExp; patternRule?: string }): string | undefined {
    const value = this.body[name];
    const min = rule.min ?? 1;
    const what = `${rule.required ? 'required, ' : ''}${min === 0 ? `at most ${String(rule.max)}` : `${String(min)}–${String(rule.max)}`} characters`;
    if (value === undefined || value === null) {
      if (rule.required) this.fail(name, what);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(name, `text, ${what}`);
      return undefined;
    }
    const text = value.trim();
    if (text.length < min || text.length > rule.max) {
      this.fail(name, what);
      return undefined;
    }
    if (rule.pattern && !rule.pattern.test(text)) {
      this.fail(name, rule.patternRule ?? 'not allowed here');
      return undefined;
    }
    return text;
  }

  /** Like {@link text}, but `null` (or an empty string) clears the value: returns null. */
  clearableText(name: string, rule: { max: number; pattern?: RegExp; patternRule?: string }): string | null | undefined {
    const value = this.body[name];
    if (value === null || value === '') return null;
    return this.text(name, rule);
  }

  int(name: string, rule: { min: number; max: number; required?: boolean }): number | undefined {
    const value = this.body[name];
    const what = `a whole number from ${String(rule.min)} to ${String(rule.max)}`;
    if (value === undefined) {
      if (rule.required) this.fail(name, `required, ${what}`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
      this.fail(name, what);
      return undefined;
    }
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.fail(name, 'true or false');
      return undefined;
    }
    return value;
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.body[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(name, 'an object');
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  array(name: string, max: number): unknown[] | undefined {
    const value = this.body[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length > max) {
      this.fail(name, `a list of at most ${String(max)}`);
      return undefined;
    }
    return value as unknown[];
  }

  /** The problems found so far, by field path. */
  get problems(): Readonly<Record<string, string>> {
    return this.errors;
  }

  /** Throws every problem found as one `invalid` error; returns when there is none. */
  done(): void {
    throwIfAny(this.errors);
  }
}

/** Throws `invalid` naming every field of `errors`; returns when it is empty. */
export function throwIfAny(errors: Readonly<Record<string, string>>): void {
  const entries = Object.entries(errors);
  if (entries.length === 0) return;
  const shown = entries.slice(0, 5).map(([k, m]) => `${k}: ${m}`).join('; ');
  throw new ProvisioningError('invalid', entries.length > 5 ? `${shown}; and ${String(entries.length - 5)} more` : shown, errors);
}

/** The body as an object, or `invalid`. */
export function objectBody(body: unknown, what = 'body'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ProvisioningError('invalid', `${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An origin as browsers send it: `https://host[:port]`, no path. */
export const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i;
