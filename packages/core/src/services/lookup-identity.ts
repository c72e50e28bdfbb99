/**
 * @module services/lookup-identity
 * The share dialog's person lookup: an exact username, or an exact e-mail address (its case ignored),
 * resolves to one user of the realm (and `group:{name}` to a group the owner may share with); anything else answers "not found" and nothing more, so the lookup
 * cannot be used to browse the directory. A found name that could be mistaken for another (mixed
 * alphabets, characters that look alike) comes with a warning, so the owner checks before sharing.
 */
import { fail } from '../errors.ts';
import { GROUP_SUBJECT_PREFIX, groupSubject } from '../model/group.ts';
import type { User } from '../model/user.ts';
import { shareableGroup } from './groups.ts';
import type { Ports } from './ports.ts';

export type IdentityLookup =
  | { found: false }
  | { found: true; username: string; displayName: string; matchedBy: 'username' | 'email' | 'group'; warning?: string };

/** Longest identity the lookup reads. */
export const MAX_IDENTITY_LENGTH = 256;

/** Non-Latin letters that render like Latin ones (Cyrillic, Greek), folded to what they look like. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', τ: 't', ι: 'i', κ: 'k', χ: 'x', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

/** Why a name could be mistaken for another, or null. Looks at the name only: it reveals nothing about other users. */
export function lookAlikeWarning(name: string): string | null {
  const normalized = name.normalize('NFKC');
  if (normalized !== name) return `"${name}" contains characters with a more common equivalent. Check it is the person you mean.`;
  const letters = [...name].filter((c) => /\p{L}/u.test(c));
  const homoglyphs = letters.filter((c) => HOMOGLYPHS[c] !== undefined);
  // Mixed with Latin letters, or a whole name spelt in look-alikes ("аре" in Cyrillic reads "ape").
  const latin = letters.some((c) => /\p{Script=Latin}/u.test(c));
  if (homoglyphs.length > 0 && (latin || homoglyphs.length === letters.length)) return `"${name}" contains letters from another alphabet that look like Latin ones (${[...new Set(homoglyphs)].join(' ')}). Check it is the person you mean.`;
  if (/\p{Cf}/u.test(name)) return `"${name}" contains invisible characters. Check it is the person you mean.`;
  if (latin && letters.some((c) => !/\p{Script=Latin}/u.test(c))) return `"${name}" mixes Latin letters with letters of another alphabet. Check it is the person you mean.`;
  // Digits inside a word of letters: b0b, a1ice.
  const local = name.split('@')[0]!;
  if (/[a-z][01]|[01][a-z]/i.test(local) && /^[a-z01]+$/i.test(local.replace(/[._-]/g, ''))) return `"${name}" has the digit 0 or 1 among letters, easily mistaken for O or l. Check it is the person you mean.`;
  return null;
}

function answer(user: User, matchedBy: 'username' | 'email'): IdentityLookup {
  const found: IdentityLookup = { found: true, username: user.username, displayName: user.username, matchedBy };
  const warning = lookAlikeWarning(user.username);
  if (warning !== null) found.warning = warning;
  return found;
}

/**
 * Resolves what the owner typed to one user of the realm: the exact username, else the one user whose
 * e-mail is exactly it (or it in lower case). Disabled users, the owner herself, several users sharing
 * the e-mail, and anything else answer `{found: false}`.
 */
export async function lookupIdentity(ports: Ports, input: { realm: string; actor: User; identity: string }): Promise<IdentityLookup> {
  const identity = input.identity.trim();
  if (identity === '') throw fail('invalid_request', 'identity is required: a username or an e-mail address');
  if (identity.length > MAX_IDENTITY_LENGTH || identity.includes('\u0000')) throw fail('invalid_request', `identity must be at most ${MAX_IDENTITY_LENGTH} characters`);
  if (identity.startsWith(GROUP_SUBJECT_PREFIX)) {
    // A group the owner may share with (visible, or hers); a hidden or unknown one looks the same.
    const group = await shareableGroup(ports.store, input.realm, input.actor.id, identity);
    return group ? { found: true, username: groupSubject(group.name), displayName: `Group ${group.name}`, matchedBy: 'group' } : { found: false };
  }
  const usable = (u: User | null | undefined): u is User => !!u && !u.disabled && u.id !== input.actor.id;
  const byName = await ports.store.users.findByUsername(input.realm, identity);
  if (usable(byName)) return answer(byName, 'username');
  if (!identity.includes('@')) return { found: false };
  for (const email of new Set([identity, identity.toLowerCase()])) {
    const matches = await ports.store.users.findByEmail(input.realm, email, 2);
    if (matches.length === 1 && usable(matches[0])) return answer(matches[0], 'email');
    if (matches.length > 1) return { found: false };
  }
  return { found: false };
}
