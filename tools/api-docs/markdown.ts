/**
 * @module tools/api-docs/markdown
 * Renders docs/api.md from the collected routes: one section per tag, one entry per operation (routes
 * sharing docs are one entry), a table of contents, and the named schemas at the end.
 */
import { API_TAGS, type ApiTag, type RouteAuth, type RouteDocs, type RouteEntry } from '../../packages/server/src/http/route-docs.ts';
import { CrestErrorSchema, OAuthErrorSchema } from '../../packages/server/src/wire/errors.ts';
import { authList, DEFAULT_PARAM_DOCS, errorFormat, errorGroups, openApiPath, operationIds, pathParams, plain, type ApiDocOptions } from './openapi.ts';

type Json = Record<string, any>;

const AUTH_TEXT: Record<RouteAuth, (o: ApiDocOptions, reads: boolean) => string> = {
  none: () => 'none',
  PAT: () => 'PAT (`Authorization: Bearer`, an access token with scope `uma_protection`)',
  bearer: () => 'the user\'s access token (`Authorization: Bearer`; scope `openid` for userinfo, `sharing` for the owner APIs)',
  client: () => 'client authentication (`client_secret_basic`, `client_secret_post`, or a public client\'s `client_id`)',
  'owner-session': (o, reads) =>
    reads
      ? `owner session token (the \`${o.sessionHeader}\` header from *Owner sign-in*, or the cookie of that name unless the browser says the request comes from another site)`
      : `owner session token (the \`${o.sessionHeader}\` header from *Owner sign-in*; the cookie alone is refused on writes)`,
  browser: () => 'the browser\'s session cookie (signing in is part of the page)',
  admin: () => 'the admin token (`Authorization: Bearer`, the secret whose SHA-256 is `STEWARD_ADMIN_TOKEN_SHA256`)',
};

/** GitHub's heading anchors, made unique the way GitHub does. */
class Anchors {
  readonly #seen = new Map<string, number>();
  make(text: string): string {
    const base = text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = this.#seen.get(base) ?? 0;
    this.#seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const codes = (list: readonly string[]) => list.map((c) => `\`${c}\``).join(', ');

/** A short type label: named schemas link to the Schemas section. */
function typeLabel(s: Json): string {
  if (typeof s.$id === 'string') return `[\`${s.$id}\`](#schema-${s.$id.toLowerCase()})`;
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return union.map(typeLabel).join(' \\| ');
  if (s.type === 'array') return `${s.items ? typeLabel(s.items) : 'any'}[]`;
  return typeof s.type === 'string' ? s.type : 'any';
}

function isObject(s: Json): boolean {
  return s.type === 'object' && typeof s.properties === 'object';
}

/** Field rows of an object schema, nested objects flattened (`a.b`, `a[].b`); named schemas are not expanded. */
function fieldRows(s: Json, prefix = '', depth = 0): string[] {
  const rows: string[] = [];
  const required: string[] = s.required ?? [];
  for (const [name, prop] of Object.entries<Json>(s.properties ?? {})) {
    const full = `${prefix}${name}`;
    rows.push(`| \`${full}\` | ${typeLabel(prop)} | ${required.includes(name) ? 'yes' : 'no'} | ${cell(prop.description ?? '')} |`);
    if (depth >= 2) continue;
    if (isObject(prop) && !prop.$id) rows.push(...fieldRows(prop, `${full}.`, depth + 1));
    if (prop.type === 'array' && prop.items && isObject(prop.items) && !prop.items.$id) rows.push(...fieldRows(prop.items, `${full}[].`, depth + 1));
  }
  return rows;
}

function fieldTable(s: Json): string[] {
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...fieldRows(s)];
}

/** A request body or a named schema, in full: its fields, or each alternative's fields. */
function schemaBlock(s: Json): string[] {
  const out: string[] = [];
  if (s.description) out.push(cell(s.description), '');
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) {
    let previous: Json | undefined;
    for (const v of union as Json[]) {
      const title = v.properties?.grant_type?.const !== undefined ? `\`grant_type=${v.properties.grant_type.const}\`` : v.$id ? `\`${v.$id}\`` : v.type === 'array' ? 'an array' : typeLabel(v);
      out.push(`*${title}*${v.description ? ` — ${cell(v.description)}` : ''}`, '');
      if (v.type === 'array' && v.items) {
        const same = previous?.$id !== undefined && v.items.$id === previous.$id;
        out.push(`${v.minItems ?? 0} to ${v.maxItems ?? 'any number of'} ${same ? 'objects as above' : 'items'}.`, '');
        if (!same && isObject(v.items)) out.push(...fieldTable(v.items), '');
      } else if (isObject(v)) out.push(...fieldTable(v), '');
      previous = v;
    }
    return out;
  }
  if (isObject(s)) out.push(...fieldTable(s), '');
  else out.push(`${typeLabel(s)}`, '');
  return out;
}

function collectNamed(value: unknown, into: Map<string, Json>): void {
  if (Array.isArray(value)) return value.forEach((v) => collectNamed(v, into));
  if (typeof value !== 'object' || value === null) return;
  const s = value as Json;
  if (typeof s.$id === 'string' && !into.has(s.$id)) into.set(s.$id, s);
  for (const v of Object.values(s)) collectNamed(v, into);
}

function collectNested(s: Json, into: Map<string, Json>): void {
  for (const v of [s, ...((s.anyOf ?? s.oneOf ?? []) as Json[])]) {
    const obj = v.type === 'array' ? v.items : v;
    if (obj && isObject(obj)) for (const prop of Object.values<Json>(obj.properties)) collectNamed(prop, into);
  }
}

function entry(group: RouteEntry[], docs: RouteDocs, ids: Map<RouteEntry, string>, options: ApiDocOptions): string[] {
  const first = group[0]!;
  const out: string[] = [group.map((r) => `\`${r.method} ${openApiPath(r.url)}\``).join('  \n'), ''];
  if (docs.description) out.push(docs.description, '');
  const reads = group.every((r) => r.method === 'GET');
  out.push(`- **Auth:** ${authList(docs).map((a) => AUTH_TEXT[a](options, reads)).join('; or ')}`);
  out.push(`- **Operation id:** ${[...new Set(group.map((r) => `\`${ids.get(r)}\``))].join(', ')}`, '');
  const params = [...new Set(group.flatMap((r) => pathParams(r.url)))];
  if (params.length) {
    out.push('**Path parameters**', '', '| name | meaning |', '|---|---|', ...params.map((p) => `| \`${p}\` | ${cell(docs.params?.[p] ?? DEFAULT_PARAM_DOCS[p] ?? '')} |`), '');
  }
  if (docs.query) out.push(`**Query parameters**${docs.queryMethods ? ` (${docs.queryMethods.join(', ')})` : ''}`, '', ...fieldTable(plain(docs.query)), '');
  if (docs.headers) {
    out.push('**Request headers**', '', '| name | required | meaning |', '|---|---|---|');
    for (const [name, h] of Object.entries(docs.headers)) out.push(`| \`${name}\` | ${h.required ? 'yes' : 'no'} | ${cell(h.description)} |`);
    out.push('');
  }
  if (docs.body && group.some((r) => r.method !== 'GET')) {
    const methods = group.filter((r) => r.method !== 'GET').map((r) => r.method);
    const only = methods.length < group.length ? `${methods.join(', ')}: ` : '';
    out.push(`**Body** (${only}\`${docs.body.contentType}\`${docs.body.required === false ? ', optional' : ''})${docs.body.description ? `: ${docs.body.description}` : ''}`, '');
    out.push(...schemaBlock(plain(docs.body.schema)));
  }
  out.push('**Responses**', '', '| status | meaning | body |', '|---|---|---|');
  for (const [status, r] of Object.entries(docs.responses)) {
    const headers = r.headers ? ` Headers: ${Object.entries(r.headers).map(([n, d]) => `\`${n}\` (${d})`).join(', ')}.` : '';
    const body = r.schema ? `${r.contentType ? `\`${r.contentType}\` ` : ''}${typeLabel(plain(r.schema))}` : r.contentType ? `\`${r.contentType}\`` : '—';
    out.push(`| ${status} | ${cell(r.description + headers)} | ${body} |`);
  }
  out.push('');
  const errors = errorGroups(docs);
  if (errors.length) {
    const format = errorFormat(first);
    const link = format === 'OAuth JSON' ? ': [`OAuthError`](#schema-oautherror)' : format === 'CREST JSON' ? ': [`CrestError`](#schema-cresterror)' : '';
    out.push(`**Errors** (${format}${link})`, '', '| status | codes |', '|---|---|', ...errors.map((e) => `| ${e.status} | ${codes(e.codes)} |`), '');
  }
  return out;
}

/** docs/api.md for the collected routes. */
export function renderApiMarkdown(routes: readonly RouteEntry[], options: ApiDocOptions): string {
  const ids = operationIds(routes);
  const anchors = new Anchors();
  const toc: string[] = [];
  const body: string[] = [];
  const named = new Map<string, Json>();
  collectNamed([plain(OAuthErrorSchema), plain(CrestErrorSchema)], named);
  for (const tag of Object.keys(API_TAGS) as ApiTag[]) {
    const inTag = routes.filter((r) => r.docs?.tags[0] === tag);
    if (inTag.length === 0) continue;
    toc.push(`- [${tag}](#${anchors.make(tag)})`);
    body.push(`## ${tag}`, '', API_TAGS[tag], '');
    const groups = new Map<RouteDocs, RouteEntry[]>();
    for (const r of inTag) groups.set(r.docs!, [...(groups.get(r.docs!) ?? []), r]);
    const refusals: string[] = [];
    for (const [docs, group] of groups) {
      for (const r of Object.values(docs.responses)) if (r.schema) collectNamed(plain(r.schema), named);
      // Bodies are shown in full where they are used; only schemas nested in their fields are listed.
      if (docs.body) collectNested(plain(docs.body.schema), named);
      if (docs.refusesMethod) {
        const statuses = errorGroups(docs).map((e) => `${e.status} ${codes(e.codes)}`).join('; ');
        const paths = [...new Set(group.map((r) => openApiPath(r.url)))];
        for (const p of paths) refusals.push(`| \`${p}\` | ${group.filter((r) => openApiPath(r.url) === p).map((r) => r.method).join(', ')} | ${cell(docs.summary)}: ${statuses} |`);
        continue;
      }
      toc.push(`  - [${docs.summary}](#${anchors.make(docs.summary)})`);
      body.push(`### ${docs.summary}`, '', ...entry(group, docs, ids, options));
    }
    if (refusals.length) {
      toc.push(`  - [Other methods](#${anchors.make('Other methods')})`);
      body.push('### Other methods', '', 'Methods a path does not support answer an error (never a 404):', '', '| path | methods | answer |', '|---|---|---|', ...refusals, '');
    }
  }
  const undocumented = routes.filter((r) => !r.docs);
  if (undocumented.length) {
    toc.push(`- [Not documented yet](#${anchors.make('Not documented yet')})`);
    body.push('## Not documented yet', '', ...undocumented.map((r) => `- \`${r.method} ${openApiPath(r.url)}\``), '');
  }
  toc.push(`- [Schemas](#${anchors.make('Schemas')})`);
  body.push('## Schemas', '');
  for (const [id, s] of [...named].sort(([a], [b]) => a.localeCompare(b))) {
    body.push(`<a id="schema-${id.toLowerCase()}"></a>`, `### ${id}`, '', ...schemaBlock({ ...s, $id: undefined }));
  }
  return [
    '# API reference',
    '',
    '<!-- Generated by `npm run docs:api` from the route definitions (config.docs of each route). Do not edit by hand. -->',
    '',
    `Every path is relative to the server's base URL (\`STEWARD_BASE_URL\`, default \`${options.baseUrl}\`). Realm paths carry the realm id; the realm's issuer is \`{base}/realms/{realm}\`. The same reference as an OpenAPI 3.1 document: [openapi.json](openapi.json).`,
    '',
    'Protocol endpoints answer errors as OAuth JSON `{"error","error_description"}` (the UMA grant adds `ticket`, `required_claims`, `redirect_user`, `interval`); owner APIs as CREST JSON `{"code","reason","message"}`; browser pages as HTML. Every code and its status is listed in [errors.md](errors.md). Besides the errors listed per operation, any request may answer 413 `payload_too_large` and 500 `server_error`.',
    '',
    '## Contents',
    '',
    ...toc,
    '',
    ...body,
  ].join('\n');
}
