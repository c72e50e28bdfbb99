/**
 * @module pages/claims
 * The claims interaction endpoint's two pages (UMA Grant §3.3.2): sign in, then confirm who you are
 * to the client for the owner's resources, optionally letting the client remember it (a PCT). Every
 * request parameter travels back in hidden fields and is validated again on submission. The sign-in
 * page names the client only: whose resources the ticket is about is shown once the user is signed in.
 */
import { hiddenInputs, html, layout, type Html } from './html.ts';

export interface ClaimsPageInput {
  realmName: string;
  clientName: string;
  clientId: string;
  /** Hidden fields: the request parameters and the CSRF token (undefined ones are left out). */
  hidden: Record<string, string | undefined>;
  /** Shown above the form (e.g. a wrong password). */
  error?: string | undefined;
}

function whose(ownerName: string | null): Html {
  return ownerName === null ? html`the owner’s` : html`<strong>${ownerName}</strong>’s`;
}

/** Whose resources the ticket is about: for the signed-in user only. */
export interface ClaimsOwnerInput {
  /** The owner of the resources (her username), null when unknown. */
  ownerName: string | null;
  resources: ReadonlyArray<{ name: string; scopes: readonly string[] }>;
}

function resourceList(input: ClaimsOwnerInput): Html {
  if (input.resources.length === 0) return html`<p class="muted">The resources asked for no longer exist.</p>\n`;
  return html`<ul class="scopes">
${input.resources.map((r) => html`<li>${r.name}${r.scopes.length > 0 ? html` <span class="muted">(${r.scopes.join(', ')})</span>` : ''}</li>\n`)}</ul>
`;
}

function errorLine(error: string | undefined): Html | string {
  return error ? html`<p class="error" role="alert">${error}</p>\n` : '';
}

/** Step 1: the browser is not signed in to the realm. */
export function claimsSignInPage(input: ClaimsPageInput & { username?: string | undefined }): Html {
  const body = html`<p class="realm">${input.realmName}</p>
<h1>Sign in to continue to <span class="client">${input.clientName}</span></h1>
${errorLine(input.error)}<p><strong>${input.clientName}</strong> (<code>${input.clientId}</code>) asks who you are, to request access to resources on your behalf. Once you are signed in you will see whose resources, and what it asks for, before you confirm.</p>
<form method="post" action="claims">
${hiddenInputs(input.hidden)}<label for="username">Username</label>
<input type="text" id="username" name="username" value="${input.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="signin" class="primary">Sign in</button>
<button type="submit" name="action" value="deny" class="deny" formnovalidate>Cancel</button>
</div>
</form>
`;
  return layout(`Sign in for ${input.clientName}`, body);
}

/** Step 2: the signed-in user confirms (or refuses) that the client may name her as requesting party. */
export function claimsConsentPage(input: ClaimsPageInput & ClaimsOwnerInput & { signedInAs: string; rememberDays: number }): Html {
  const body = html`<p class="realm">${input.realmName}</p>
<h1><span class="client">${input.clientName}</span> asks to confirm who you are</h1>
${errorLine(input.error)}<p><strong>${input.clientName}</strong> (<code>${input.clientId}</code>) asks to learn that you are <strong>${input.signedInAs}</strong> (your username and email address), to request access to ${whose(input.ownerName)} resources:</p>
${resourceList(input)}<p class="muted">Signed in as <strong>${input.signedInAs}</strong>. <a href="../protocol/openid-connect/logout">Not you? Sign out</a></p>
<form method="post" action="claims">
${hiddenInputs(input.hidden)}<p><label style="font-weight:normal"><input type="checkbox" name="remember" value="yes"> Remember me for this app: it may ask for access again without this page for ${input.rememberDays} days (a persisted claims token)</label></p>
<div class="actions">
<button type="submit" name="action" value="allow" class="allow">Confirm</button>
<button type="submit" name="action" value="deny" class="deny">Refuse</button>
</div>
</form>
`;
  return layout(`Confirm who you are to ${input.clientName}`, body);
}
