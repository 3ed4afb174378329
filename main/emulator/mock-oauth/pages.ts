const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const STYLE =
  'body{font:15px system-ui;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem;box-sizing:border-box}button{padding:.4rem 1rem}';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
${body}
</body></html>`;
}

/**
 * The provider's sign-in page: any e-mail, no password. The login becomes the account id and the e-mail, as on
 * upstream's mock provider, so signing in twice with one address finds the same account.
 */
export function loginPage(options: { clientId: string; action: string; abort: string }): string {
  return page(
    `Mock ${options.clientId} sign-in`,
    `<h1>Sign in with mock ${escapeHtml(options.clientId)}</h1>
<p>Hexclave Companion's emulator stands in for the identity provider. Any e-mail works; there is no password.</p>
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="prompt" value="login">
<label>E-mail <input id="login" name="login" type="email" required autofocus placeholder="ada@example.com"></label>
<label>Name (optional) <input id="name" name="name"></label>
<button type="submit" id="sign-in">Sign in</button> <a id="deny" href="${escapeHtml(options.abort)}">Deny</a>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'Mock sign-in error',
    `<h1>Sign-in cannot continue</h1><p id="error">${escapeHtml(message)}</p>`,
  );
}

/** The body of a 303 answering a GET: browsers follow the Location header; the link is there for anything else. */
export function redirectingPage(location: string): string {
  return `Redirecting to <a href="${escapeHtml(location)}">${escapeHtml(location)}</a>.`;
}
