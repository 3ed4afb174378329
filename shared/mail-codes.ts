/**
 * What a developer reading a captured e-mail wants to copy: the six-character sign-in code, the link the e-mail
 * asks to open, and that link's `code` parameter (what an app's handler page hands to the SDK). Read from the
 * e-mail as sent, so it works for every template that carries a link or an OTP.
 */
export interface MailCodes {
  readonly otp: string | null;
  readonly link: string | null;
  readonly code: string | null;
}

// The OTP alphabet is Crockford base32 in upper case; the subject names it ("… Your code is ABC123").
const SUBJECT_OTP = /\bcode is ([0-9A-Z]{6})\b/;
// Otherwise the code stands alone in an HTML paragraph, as in upstream's e-mail.
const HTML_OTP = />\s*([0-9A-Z]{6})\s*<\/p>/;
const URL_PATTERN = /https?:\/\/[^\s"'<>]+/g;

function linkWithCode(text: string): { link: string; code: string } | null {
  for (const [candidate] of text.matchAll(URL_PATTERN)) {
    try {
      const code = new URL(candidate).searchParams.get('code');
      if (code) return { link: candidate, code };
    } catch {
      // Not a URL after all; keep looking.
    }
  }
  return null;
}

export function findMailCodes(mail: { subject: string; text: string; html: string }): MailCodes {
  const otp = SUBJECT_OTP.exec(mail.subject)?.[1] ?? HTML_OTP.exec(mail.html)?.[1] ?? null;
  const found = linkWithCode(mail.text) ?? linkWithCode(mail.html.replaceAll('&amp;', '&'));
  return { otp, link: found?.link ?? null, code: found?.code ?? null };
}
