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

/** Redact every `scheme://user:password@` occurrence inside free text such as an error message or SQL. */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1*****@')
    .replace(/\b(pck|ssk|sak)_[a-z0-9]{8,}\b/gi, (m) => redactValue(m))
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+\b/g, '<jwt redacted>');
}
