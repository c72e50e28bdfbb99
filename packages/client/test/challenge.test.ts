/** The `WWW-Authenticate` parser: quoted strings with escapes, parameters in any order, several schemes, malformed headers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findUmaChallenge, parseWwwAuthenticate } from '@steward/client';

describe('WWW-Authenticate parsing', () => {
  it('reads the UMA challenge of UMA Grant §3.2.1', () => {
    assert.deepEqual(findUmaChallenge('UMA realm="example", as_uri="https://as.example.com", ticket="016f84e8-f9b9-11e0-bd6f-0021cc6004de"'), {
      realm: 'example',
      asUri: 'https://as.example.com',
      ticket: '016f84e8-f9b9-11e0-bd6f-0021cc6004de',
    });
  });

  it('takes parameters in any order, any case, with escapes, tokens and whitespace around "="', () => {
    assert.deepEqual(findUmaChallenge('uma TICKET = "a\\"b\\\\c" ,As_Uri="https://as.example/realms/x",realm=plain'), {
      realm: 'plain',
      asUri: 'https://as.example/realms/x',
      ticket: 'a"b\\c',
    });
  });

  it('finds UMA among other schemes (joined headers, token68, schemes without parameters)', () => {
    const header = 'Negotiate abc==, Bearer realm="x", error="invalid_token", Basic, UMA as_uri="https://as.example", ticket=t1, DPoP algs="ES256"';
    const parsed = parseWwwAuthenticate(header);
    assert.deepEqual(parsed?.map((c) => c.scheme), ['Negotiate', 'Bearer', 'Basic', 'UMA', 'DPoP']);
    assert.equal(parsed?.[0]?.token68, 'abc==');
    assert.equal(parsed?.[1]?.params['error'], 'invalid_token');
    assert.deepEqual(findUmaChallenge(header), { asUri: 'https://as.example', ticket: 't1' });
  });

  it('a commas inside a quoted string does not split the challenge', () => {
    assert.equal(findUmaChallenge('UMA realm="a, b=c", as_uri="https://as.example", ticket="t"')?.realm, 'a, b=c');
  });

  for (const [why, header] of [
    ['no ticket', 'UMA realm="x", as_uri="https://as.example"'],
    ['empty ticket', 'UMA as_uri="https://as.example", ticket=""'],
    ['no as_uri', 'UMA realm="x", ticket="t"'],
    ['as_uri not a URL', 'UMA as_uri="as.example", ticket="t"'],
    ['as_uri not http(s)', 'UMA as_uri="javascript:alert(1)", ticket="t"'],
    ['as_uri with a query', 'UMA as_uri="https://as.example/?x=1", ticket="t"'],
    ['unterminated quoted string', 'UMA as_uri="https://as.example", ticket="t'],
    ['dangling escape', 'UMA as_uri="https://as.example", ticket="t\\'],
    ['missing comma', 'UMA as_uri="https://as.example" ticket="t"'],
    ['repeated parameter', 'UMA as_uri="https://as.example", ticket="t", ticket="u"'],
    ['parameter before any scheme', 'ticket="t", UMA as_uri="https://as.example"'],
    ['no value', 'UMA as_uri=, ticket="t"'],
    ['only another scheme', 'Bearer realm="x"'],
    ['empty', ''],
    ['garbage', '"""'],
  ] as const) {
    it(`no UMA challenge: ${why}`, () => {
      assert.equal(findUmaChallenge(header), null);
    });
  }

  it('null header: no challenge', () => {
    assert.equal(findUmaChallenge(null), null);
  });
});
