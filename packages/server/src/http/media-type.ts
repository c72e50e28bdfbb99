/**
 * @module http/media-type
 * A request body's media type and charset, read from `Content-Type` (RFC 9110 §8.3). JSON is UTF-8
 * (RFC 8259 §8.1) and so are forms (RFC 6749 Appendix B; the URL Standard's form parser decodes UTF-8
 * only): a body declared in another charset would be read as UTF-8 all the same, and a filter that
 * trusted the declaration would see something else than Steward does.
 */

export interface MediaType {
  /** The type and subtype, lower case (`application/json`). */
  type: string;
  /** The `charset` parameter, lower case, unquoted; null when absent, empty when declared twice differently. */
  charset: string | null;
}

/** Charsets a body may declare: UTF-8, and US-ASCII, which UTF-8 decodes to the same text. */
const UTF8_COMPATIBLE = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The media type of a `Content-Type` value; null when there is none. */
export function mediaTypeOf(header: string | string[] | undefined): MediaType | null {
  if (typeof header !== 'string') return null;
  const [type, ...params] = header.split(';');
  let charset: string | null = null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param.slice(eq + 1).trim();
    const named = (value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value).toLowerCase();
    // Two different charsets declare none that can be trusted.
    charset = charset === null || charset === named ? named : '';
  }
  return { type: type!.trim().toLowerCase(), charset };
}

/** True unless the body declares a charset other than UTF-8 (or its subset US-ASCII). */
export function declaresUtf8(media: MediaType | null): boolean {
  return media === null || media.charset === null || UTF8_COMPATIBLE.has(media.charset);
}
