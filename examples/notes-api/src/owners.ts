/**
 * @module notes-api/owners
 * The owners: their Steward tokens (kept in memory here; a real app keeps them in its database,
 * encrypted) behind the kit's PAT store, which refreshes an expired PAT with the refresh token and
 * saves the new one; and their sessions at this API (a cookie naming the connected owner).
 */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createPatStore, type UmaOwnerTokens, type UmaPatStore } from '@steward/rs';
import type { NotesConfig } from './config.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'notes_session';

/** The owners' saved tokens, by Steward username. */
export function ownerPats(config: NotesConfig, saved = new Map<string, UmaOwnerTokens>()): UmaPatStore {
  return createPatStore({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    load: (owner) => saved.get(owner),
    save: (owner, tokens) => void saved.set(owner, tokens),
  });
}

/** One cookie of the request's `Cookie` header (RFC 6265 §5.4). */
export function cookie(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sessions of connected owners: a random id in a cookie → her username. */
export class Sessions {
  readonly #owners = new Map<string, string>();

  /** Starts a session for the owner and sets its cookie. */
  start(res: Response, owner: string): void {
    const id = randomBytes(32).toString('base64url');
    this.#owners.set(id, owner);
    res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  /** Middleware: `res.locals.owner` is the connected owner, or the request is answered 401. */
  readonly requireOwner = (req: Request, res: Response, next: NextFunction): void => {
    const id = cookie(req, SESSION_COOKIE);
    const owner = id === undefined ? undefined : this.#owners.get(id);
    if (!owner) return next(new ApiError(401, 'connect_required', 'Connect to Steward first: GET /connect'));
    res.locals.owner = owner;
    next();
  };
}
