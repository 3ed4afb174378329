import type { EmailKind } from './message.js';

/**
 * The emulator's own wording of upstream's transactional e-mails. Subjects follow upstream's (apps match on
 * them, as upstream's tests do); bodies are short and carry the one thing that matters, the link or code.
 */
export type TemplateVariables =
  | { readonly kind: 'email-verification'; readonly projectName: string; readonly link: string }
  | {
      readonly kind: 'sign-in-code';
      readonly projectName: string;
      readonly link: string;
      readonly otp: string;
      /** Shown so a client can match the message to the request that asked for it. */
      readonly nonce: string;
    }
  | { readonly kind: 'password-reset'; readonly projectName: string; readonly link: string }
  | {
      readonly kind: 'team-invitation';
      readonly projectName: string;
      readonly teamName: string;
      readonly link: string;
    };

export interface RenderedEmail {
  readonly kind: EmailKind;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function page(
  lines: readonly string[],
  link: { href: string; label: string },
  footer = '',
  highlight = '',
): string {
  const body = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return `<!doctype html>
<html><body style="font-family:system-ui,sans-serif">
${body}
${highlight}<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>
${footer}<p style="color:#888">Captured by the Hexclave Companion emulator; nothing was delivered.</p>
</body></html>`;
}

export function renderEmail(vars: TemplateVariables): RenderedEmail {
  switch (vars.kind) {
    case 'email-verification': {
      const lines = [`Confirm this address for your account at ${vars.projectName}.`];
      return {
        kind: vars.kind,
        subject: `Verify your email at ${vars.projectName}`,
        text: `${lines.join('\n')}\n\nVerify: ${vars.link}\n`,
        html: page(lines, { href: vars.link, label: 'Verify my e-mail' }),
      };
    }
    case 'sign-in-code': {
      const lines = [`Your sign-in code for ${vars.projectName}:`];
      // The code stands alone in its paragraph, as in upstream's e-mail (clients and tests read it from there).
      const code = `<p style="font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(vars.otp)}</p>\n`;
      return {
        kind: vars.kind,
        subject: `Sign in to ${vars.projectName}: Your code is ${vars.otp}`,
        text: `${lines.join('\n')} ${vars.otp}\nOr open the link below.\n\nSign in: ${vars.link}\n`,
        html: page(
          lines,
          { href: vars.link, label: 'Or sign in with this link' },
          `<p style="color:#888">Request ${escapeHtml(vars.nonce)}</p>\n`,
          code,
        ),
      };
    }
    case 'password-reset': {
      const lines = [`Someone asked to reset the password of your account at ${vars.projectName}.`];
      return {
        kind: vars.kind,
        subject: `Reset your password at ${vars.projectName}`,
        text: `${lines.join('\n')}\n\nReset: ${vars.link}\n`,
        html: page(lines, { href: vars.link, label: 'Choose a new password' }),
      };
    }
    case 'team-invitation': {
      const lines = [`You are invited to join ${vars.teamName} at ${vars.projectName}.`];
      return {
        kind: vars.kind,
        subject: `You have been invited to join ${vars.teamName}`,
        text: `${lines.join('\n')}\n\nAccept: ${vars.link}\n`,
        html: page(lines, { href: vars.link, label: 'Accept the invitation' }),
      };
    }
  }
}
