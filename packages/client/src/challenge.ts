/** @module challenge — parses `WWW-Authenticate` headers (RFC 9110 §11.6.1) and picks out the UMA challenge (UMA Grant §3.2). */

/** One challenge of a `WWW-Authenticate` header: its scheme and either auth-params or a token68. */
export interface AuthChallenge {
  /** The auth-scheme as sent (compare case-insensitively). */
  scheme: string;
  /** Auth-params, names lower-cased, values unquoted. */
  params: Record<string, string>;
  /** The token68 form (e.g. `Negotiate abc==`), when the challenge uses it. */
  token68?: string;
}

/** The UMA challenge a resource server sends with a permission ticket (UMA Grant §3.2.1). */
export interface UmaChallenge {
  /** The `realm` parameter, when present. */
  realm?: string;
  /** The authorization server's issuer URI. */
  asUri: string;
  /** The permission ticket. */
  ticket: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses a `WWW-Authenticate` value (several headers joined with `, ` are fine) into its challenges.
 * Returns null when the value is malformed: unterminated quoted-string, a parameter outside a
 * challenge, a repeated parameter, junk between items.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] | null {
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | null = null;
  let i = 0;
  const n = header.length;
  const skipOws = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TCHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  // After an item: optional whitespace, then a comma or the end.
  const endOfItem = (): boolean => {
    skipOws();
    if (i >= n) return true;
    if (header[i] !== ',') return false;
    i++;
    return true;
  };

  while (i < n) {
    skipOws();
    if (header[i] === ',') {
      i++;
      continue;
    }
    if (i >= n) break;
    const name = token();
    if (name === '') return null;
    skipOws();
    if (header[i] === '=') {
      // An auth-param of the current challenge.
      if (!current || current.token68 !== undefined) return null;
      i++;
      skipOws();
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        for (;;) {
          if (i >= n) return null;
          const c = header[i]!;
          if (c === '"') {
            i++;
            break;
          }
          if (c === '\\') {
            if (i + 1 >= n) return null;
            value += header[i + 1];
            i += 2;
            continue;
          }
          value += c;
          i++;
        }
      } else {
        value = token();
        if (value === '') return null;
      }
      const key = name.toLowerCase();
      if (Object.hasOwn(current.params, key)) return null;
      current.params[key] = value;
      if (!endOfItem()) return null;
      continue;
    }
    // A new challenge: the scheme, then a token68, the first auth-param, or nothing.
    current = { scheme: name, params: Object.create(null) as Record<string, string> };
    out.push(current);
    if (i >= n || header[i] === ',') {
      if (!endOfItem()) return null;
      continue;
    }
    const rest = header.slice(i);
    const t68 = TOKEN68.exec(rest);
    if (t68) {
      const after = rest.slice(t68[0].length).trimStart();
      // `abc==` followed by a comma or the end is a token68; `name=value` is a parameter.
      if (after === '' || after.startsWith(',')) {
        current.token68 = t68[0];
        i += t68[0].length;
        if (!endOfItem()) return null;
      }
    }
  }
  return out;
}

/** True for an absolute http(s) URL without credentials, query or fragment. */
function isIssuerUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
}

/**
 * The first well-formed UMA challenge in a `WWW-Authenticate` value, or null when there is none or
 * the header cannot be parsed (the caller then hands the 401 back untouched).
 */
export function findUmaChallenge(header: string | null): UmaChallenge | null {
  if (header === null) return null;
  const challenges = parseWwwAuthenticate(header);
  if (!challenges) return null;
  for (const c of challenges) {
    if (c.scheme.toLowerCase() !== 'uma' || c.token68 !== undefined) continue;
    const asUri = c.params['as_uri'];
    const ticket = c.params['ticket'];
    if (asUri === undefined || ticket === undefined || ticket === '' || !isIssuerUri(asUri)) continue;
    const found: UmaChallenge = { asUri, ticket };
    if (c.params['realm'] !== undefined) found.realm = c.params['realm'];
    return found;
  }
  return null;
}
