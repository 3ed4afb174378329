/**
 * Redaction of secrets (keys, tokens, passwords, connection strings) for logs, reports and exports.
 * Values are replaced, never truncated in place, so a redacted report cannot leak a usable prefix of a key
 * beyond its public type marker (`ssk_`, `pck_`, `sak_`).
 */

const SECRET_NAME =
  /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CONNECTION_STRING|DATABASE_URL|DSN|API_KEY|_KEY$|COOKIE|AUTHORIZATION)/i;

/** Heuristic for names the registry does not know; registry entries carry an explicit `secret` flag. */
export function looksSecretName(name: string): boolean {
  if (/PUBLISHABLE/i.test(name)) return false;
  return SECRET_NAME.test(name);
}

/** OAuth parameters that are credentials although their names do not say so (the code and its verifier). */
const OAUTH_SECRET_PARAMS = new Set(['code', 'code_verifier', 'state']);

/**
 * Query, form and JSON body parameters whose values are secrets: `access_token`, `refresh_token`, `password`,
 * `secret_server_key`, `client_secret`, `code`, … The one list every output mode uses (headers: `isSecretHeader`
 * in shared/checker/har.ts, from the registry's `secret` flags).
 */
export function isSecretParamName(name: string): boolean {
  return looksSecretName(name) || OAUTH_SECRET_PARAMS.has(name.toLowerCase());
}

export function redactValue(value: string): string {
  if (value === '') return '';
  const marker = /^(pck_|ssk_|sak_|stackauth_|hexclave_)/.exec(value)?.[1] ?? '';
  return `${marker}••••• (${value.length} chars, redacted)`;
}

/** `postgres://user:secret@host/db` → `postgres://user:*****@host/db`; non-URLs are redacted whole. */
export function redactConnectionString(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '*****';
    return parsed.toString();
  } catch {
    return redactValue(url);
  }
}

/** Already redacted here (`•••••`) or fingerprinted by the in-page dev tool (`redacted#…`): keep as it is. */
function isRedacted(value: string): boolean {
  return value.includes('•') || value.startsWith('redacted#');
}

/**
 * Redact secrets inside free text such as an error message, a log line or a header value: `scheme://user:password@`,
 * secret query parameters (`?code=…&access_token=…`), keys and JWTs.
 */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1*****@')
    .replace(/([?&;#]([\w.~-]+)=)([^&#\s"'<>]+)/g, (match, prefix: string, name: string, value: string) =>
      isSecretParamName(name) && !isRedacted(value) ? `${prefix}${redactValue(value)}` : match,
    )
    .replace(/\b(pck|ssk|sak)_[a-z0-9]{8,}\b/gi, (m) => redactValue(m))
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+\b/g, '<jwt redacted>');
}
