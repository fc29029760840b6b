/** Keys whose values never reach the audit log or an export: credentials and their hashes. */
const SECRET_KEY =
  /^(password|passwordHash|password_hash|token|tokenHash|token_hash|code|codeHash|code_hash|signingKey|signing_key|accessToken|access_token|secret|jwtSecret)$|(Secret|Token|Hash)$/;

export const REDACTED = '[redacted]';

/** A deep copy with every secret-named value replaced; strings that look like gateway tokens too. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        key,
        SECRET_KEY.test(key) && v !== null && v !== undefined ? REDACTED : redact(v),
      ]),
    );
  }
  if (typeof value === 'string' && /^pgw_/.test(value)) return REDACTED;
  return value;
}

/** Audit values are capped: a huge answer (a CSV export, a forecast) is noted by size, not stored. */
export const MAX_AUDIT_JSON = 32_000;

export function capped(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return text.length > MAX_AUDIT_JSON ? { truncated: true, bytes: text.length } : value;
}
