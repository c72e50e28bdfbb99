/**
 * @module http/form
 * `application/x-www-form-urlencoded` bodies as the OAuth endpoints need them: parameters sent without
 * a value count as omitted, and a parameter sent twice is an `invalid_request` (RFC 6749 §3.2).
 */
import { fail } from '@steward/core';
import { declaresUtf8, mediaTypeOf } from './media-type.ts';
import { flag } from './query.ts';

export class Form {
  readonly #values = new Map<string, string[]>();

  constructor(body: string) {
    for (const [k, v] of new URLSearchParams(body)) {
      const list = this.#values.get(k);
      if (list) list.push(v);
      else this.#values.set(k, [v]);
    }
  }

  /** The single value of `name`, or undefined when absent or empty. Throws on duplicates. */
  get(name: string): string | undefined {
    const list = this.#values.get(name);
    if (!list) return undefined;
    const present = list.filter((v) => v !== '');
    if (present.length > 1) throw fail('invalid_request', `Parameter ${name} is repeated`);
    return present[0];
  }

  /** Every value of a parameter that may repeat (e.g. Keycloak's `permission`). */
  all(name: string): string[] {
    return (this.#values.get(name) ?? []).filter((v) => v !== '');
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Throws `invalid_request` when any of `names` is repeated. */
  rejectDuplicates(names: readonly string[]): void {
    for (const n of names) this.get(n);
  }

  names(): string[] {
    return [...this.#values.keys()];
  }
}

/** A boolean parameter of the form (`true` or `false`); undefined when absent. */
export function formFlag(form: Form, name: string): boolean | undefined {
  return flag(form.get(name), name);
}

/** The parsed form of a request, or an `invalid_request` when the body is not a form. */
export function formOf(body: unknown): Form {
  if (body instanceof Form) return body;
  throw fail('invalid_request', 'Expected an application/x-www-form-urlencoded body');
}

/**
 * Whether the body may carry client credentials (`client_id`, `client_secret`): only a UTF-8 form
 * can. For any other body the client is authenticated from its headers alone, before the body is read.
 */
export function formMayCarryCredentials(contentType: string | string[] | undefined): boolean {
  const media = mediaTypeOf(contentType);
  return media !== null && media.type === 'application/x-www-form-urlencoded' && declaresUtf8(media);
}
