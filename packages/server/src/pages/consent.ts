/**
 * @module pages/consent
 * The authorization endpoint's one page: names the client and the scopes it asks for, asks for the
 * username and password when the browser is not signed in, and offers Allow and Deny. Every
 * authorization parameter travels back in hidden fields and is validated again on submission.
 */
import { hiddenInputs, html, layout, type Html } from './html.ts';

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Confirm who you are (sign you in to the application)',
  profile: 'See your username',
  email: 'See your email address',
  uma_protection: 'Protect your resources: register them and ask for permission tickets on your behalf',
  sharing: 'Manage your sharing: share your resources with others and revoke it',
};

/** A human description of a scope (unknown scopes are shown as themselves). */
export function describeScope(scope: string): string {
  return SCOPE_TEXT[scope] ?? scope;
}

export interface ConsentPage {
  realmName: string;
  clientName: string;
  clientId: string;
  scopes: readonly string[];
  /** The signed-in user's name; null shows the sign-in fields. */
  signedInAs: string | null;
  /** Hidden fields: the authorization parameters and the CSRF token (undefined ones are left out). */
  hidden: Record<string, string | undefined>;
  /** Shown above the form (e.g. a wrong password). */
  error?: string | undefined;
  /** Pre-filled username after a failed attempt. */
  username?: string | undefined;
}

export function consentPage(page: ConsentPage): Html {
  const hidden = hiddenInputs(page.hidden);
  const signIn = page.signedInAs === null
    ? html`<label for="username">Username</label>
<input type="text" id="username" name="username" value="${page.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
`
    : html`<p class="muted">Signed in as <strong>${page.signedInAs}</strong>. <a href="logout">Not you? Sign out</a></p>
`;
  const body = html`<p class="realm">${page.realmName}</p>
<h1><span class="client">${page.clientName}</span> wants to access your account</h1>
${page.error ? html`<p class="error" role="alert">${page.error}</p>\n` : ''}<p>If you allow it, <strong>${page.clientName}</strong> (<code>${page.clientId}</code>) will be able to:</p>
<ul class="scopes">
${page.scopes.map((s) => html`<li>${describeScope(s)} <span class="muted">(${s})</span></li>\n`)}</ul>
<form method="post" action="auth">
${hidden}${signIn}<div class="actions">
<button type="submit" name="action" value="allow" class="allow">Allow</button>
<button type="submit" name="action" value="deny" class="deny" formnovalidate>Deny</button>
</div>
</form>
`;
  return layout(`Authorize ${page.clientName}`, body);
}
