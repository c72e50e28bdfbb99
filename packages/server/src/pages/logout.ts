/**
 * @module pages/logout
 * The logout confirmation page (OIDC RP-Initiated Logout 1.0 §2): shown when a logout request carries
 * no proof that the signed-in user's client asked for it, so that a cross-site request cannot sign the
 * user out silently. The form posts back to the logout endpoint with the CSRF token and the client's
 * parameters, which are validated again there.
 */
import { hiddenInputs, html, layout, type Html } from './html.ts';

export interface LogoutConfirmPage {
  realmName: string;
  /** The signed-in user's name, when there is a session. */
  signedInAs: string | null;
  /** Hidden fields: `client_id`, `post_logout_redirect_uri`, `state` and the CSRF token (undefined ones are left out). */
  hidden: Record<string, string | undefined>;
}

export function logoutConfirmPage(page: LogoutConfirmPage): Html {
  const who = page.signedInAs === null ? '' : html`<p class="muted">Signed in as <strong>${page.signedInAs}</strong>.</p>\n`;
  const body = html`<p class="realm">${page.realmName}</p>
<h1>Sign out of ${page.realmName}?</h1>
${who}<form method="post" action="logout">
${hiddenInputs(page.hidden)}<div class="actions">
<button type="submit" class="primary">Sign out</button>
</div>
</form>
<p class="muted">Cancel: if you did not ask to sign out, close this page. You stay signed in.</p>
`;
  return layout(`Sign out of ${page.realmName}?`, body);
}
