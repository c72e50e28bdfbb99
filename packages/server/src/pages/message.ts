/** @module pages/message — simple pages of the browser endpoints: an error, and "signed out". */
import { html, layout, type Html } from './html.ts';

/** An error the browser user sees; never a redirect (the client could not be trusted with it). */
export function errorPage(input: { title: string; description: string; code: string }): Html {
  return layout(
    input.title,
    html`<h1>${input.title}</h1>
<p class="error" role="alert">${input.description}</p>
<p class="muted">Error code: <code>${input.code}</code>. Go back to the application you came from and try again.</p>
`,
  );
}

/** Shown after logout when there is no (valid) place to send the browser back to. */
export function signedOutPage(realmName: string): Html {
  return layout(
    'Signed out',
    html`<p class="realm">${realmName}</p>
<h1>You are signed out</h1>
<p>You can close this window.</p>
`,
  );
}
