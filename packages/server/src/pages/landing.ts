/** @module pages/landing — the page at `/`: what Steward is, and where each realm's console and metadata are. */
import { html, layout, type Html } from './html.ts';

export interface LandingRealm {
  id: string;
  displayName: string;
  /** `{baseUrl}/realms/{id}` */
  issuer: string;
}

export interface LandingInput {
  /** STEWARD_BASE_URL, without a trailing slash. */
  baseUrl: string;
  /** The realms shown, by id. */
  realms: readonly LandingRealm[];
  /** How many more realms exist than are shown. */
  more: number;
}

function realmItem(realm: LandingRealm): Html {
  const name = realm.displayName && realm.displayName !== realm.id ? html`${realm.displayName} (<code>${realm.id}</code>)` : html`<code>${realm.id}</code>`;
  return html`<li>${name}
<ul>
<li><a href="${realm.issuer}/account/">Account console</a></li>
<li><a href="${realm.issuer}/.well-known/uma2-configuration">UMA 2.0 discovery</a></li>
<li><a href="${realm.issuer}/.well-known/openid-configuration">OpenID Connect discovery</a></li>
</ul>
</li>
`;
}

export function landingPage(input: LandingInput): Html {
  const realms =
    input.realms.length === 0
      ? html`<p>No realm yet. Create one with <code>steward realm create ID</code>.</p>\n`
      : html`<ul>
${input.realms.map(realmItem)}</ul>
${input.more > 0 ? html`<p class="muted">And ${input.more} more (<code>steward realm list</code> lists them all).</p>\n` : ''}`;
  return layout(
    'Steward',
    html`<h1>Steward</h1>
<p>Steward is a UMA 2.0 authorization server: people decide who may use their resources, and the applications that hold those resources ask Steward before they answer.</p>
<h2>Realms</h2>
${realms}<h2>Operations</h2>
<ul>
<li><a href="${input.baseUrl}/health/live">Liveness</a></li>
<li><a href="${input.baseUrl}/health/ready">Readiness</a></li>
</ul>
<p class="muted">The HTTP API reference is <code>docs/api.md</code> (and <code>docs/openapi.json</code>) in Steward's source.</p>
`,
  );
}
