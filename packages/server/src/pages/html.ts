/**
 * @module pages/html
 * Server-rendered pages: an auto-escaping `html` template tag, the shared layout (small inline CSS,
 * readable at phone width) and `sendPage`, which adds the headers every page carries (no caching, no
 * framing, a strict Content-Security-Policy).
 */
import type { FastifyReply } from 'fastify';

/** Markup that is already safe; anything else interpolated into `html` is escaped. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** Template tag: interpolated values are escaped unless they are `Html` (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Hidden inputs of a form, one a line, escaped; undefined values are left out. */
export function hiddenInputs(fields: Record<string, string | undefined>): Html[] {
  return Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`);
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#eef1f5}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
@media (max-width:30rem){main{margin:0;border-radius:0;min-height:100vh}}
h1{font-size:1.35rem;margin:0 0 1rem}
.realm{color:#5b6475;font-size:.9rem;margin:0 0 .25rem}
ul.scopes{padding-left:1.2rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.6rem;font:inherit;border:1px solid #9aa3b2;border-radius:.3rem}
input:focus,button:focus{outline:3px solid #7aa7ff;outline-offset:1px}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;padding:.7rem;font:inherit;font-weight:600;border-radius:.3rem;border:1px solid #2456c7;cursor:pointer}
button.allow,button.primary{background:#2456c7;color:#fff}
button.deny{background:#fff;color:#2456c7}
.error{background:#fdecec;border:1px solid #e0a0a0;color:#8a1c1c;padding:.6rem .8rem;border-radius:.3rem}
.muted{color:#5b6475;font-size:.9rem}
code{word-break:break-all}
`;

/** The whole document around `body`. */
export function layout(title: string, body: Html): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new Html(CSS)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** `form-action 'self'` unless a page's form leads elsewhere (validated sources only). */
export function contentSecurityPolicy(formActionSources: readonly string[] = []): string {
  return `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${formActionSources.map((s) => ` ${s}`).join('')}; frame-ancestors 'none'`;
}

/** Headers every response of the browser endpoints carries, pages and redirects alike. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').header('referrer-policy', 'no-referrer');
}

/** Sends a page with its security headers. */
export function sendPage(reply: FastifyReply, status: number, page: Html, options: { formActionSources?: readonly string[] } = {}): FastifyReply {
  return noStore(reply)
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', contentSecurityPolicy(options.formActionSources))
    .send(page.value);
}
