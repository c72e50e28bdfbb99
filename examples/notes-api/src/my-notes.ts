/**
 * @module notes-api/my-notes
 * The owner's own routes (her session cookie): write a note — registered at Steward as a resource
 * with the scopes `read` and `edit` — list them, share one, stop sharing, delete one (and its resource).
 */
import { Router, type Response } from 'express';
import { deleteResource, registerResource, type UmaPatStore } from '@steward/rs';
import type { NotesConfig } from './config.ts';
import { ApiError, fromSteward } from './errors.ts';
import type { Note, Notes } from './notes.ts';
import type { Sessions } from './owners.ts';
import type { Answer, Steward } from './steward.ts';

/** The scopes every note offers at Steward. */
export const NOTE_SCOPES = ['read', 'edit'];

function text(body: unknown, member: string, max: number): string {
  const value = (body as Record<string, unknown> | undefined)?.[member];
  if (typeof value !== 'string' || value.length > max) throw new ApiError(400, 'invalid_request', `${member} must be a string of at most ${max} characters`);
  return value;
}

const view = (n: Note) => ({ id: n.id, title: n.title, text: n.text, resourceId: n.resourceId });

export function myNotesRoutes(config: NotesConfig, notes: Notes, pats: UmaPatStore, steward: Steward, sessions: Sessions): Router {
  const router = Router();
  router.use('/my/notes', sessions.requireOwner);
  const owner = (res: Response): string => res.locals.owner;
  /** The owner's PAT, fresh again if Steward refused the last one (the kit refreshes and saves it). */
  const patOf = (who: string) => ({ refused }: { refused?: string }) => pats.pat(who, refused ? { refused } : {});
  const mine = (res: Response, id: string): Note => {
    const note = notes.ownedBy(owner(res), id);
    if (!note) throw new ApiError(404, 'not_found', 'No such note');
    return note;
  };

  router.get('/my/notes', (_req, res) => {
    res.json(notes.list(owner(res)).map(view));
  });

  router.post('/my/notes', async (req, res) => {
    const title = text(req.body, 'title', 200);
    const body = text(req.body, 'text', 10_000);
    // A note is protected from the moment it exists: register it first (UMA Fed Authz §3.2.1).
    const registered = await registerResource({
      issuer: config.issuer,
      pat: patOf(owner(res)),
      description: { name: title, type: 'https://notes.example/note', resource_scopes: NOTE_SCOPES },
    }).catch((e) => { throw fromSteward(e); });
    res.status(201).json(view(notes.add(owner(res), title, body, registered.id)));
  });

  router.delete('/my/notes/:id', async (req, res) => {
    const note = mine(res, req.params.id);
    // Protection ends with the resource; its policies and the RPTs they allowed go with it.
    await deleteResource({ issuer: config.issuer, pat: patOf(owner(res)), resourceId: note.resourceId }).catch((e) => { throw fromSteward(e); });
    notes.delete(note);
    res.status(204).end();
  });

  router.post('/my/notes/:id/shares', async (req, res) => {
    const note = mine(res, req.params.id);
    const username = text(req.body, 'username', 255);
    const scopes = req.body?.scopes ?? ['read'];
    if (!Array.isArray(scopes) || !scopes.every((s) => NOTE_SCOPES.includes(s))) throw new ApiError(400, 'invalid_request', `scopes must be some of ${NOTE_SCOPES.join(', ')}`);
    const answer = await withOwnerToken(owner(res), (token) => steward.share(token, note.resourceId, [username], scopes));
    res.json(answer.json);
  });

  router.delete('/my/notes/:id/shares', async (req, res) => {
    const note = mine(res, req.params.id);
    await withOwnerToken(owner(res), (token) => steward.unshare(token, note.resourceId));
    res.status(204).end();
  });

  /** A call with the owner's token; a token Steward refuses (401) is refreshed once. Steward's 4xx is the owner's. */
  async function withOwnerToken(who: string, send: (token: string) => Promise<Answer>): Promise<Answer> {
    const ownerPat = (refused?: string) => pats.pat(who, refused ? { refused } : {}).catch((e) => { throw fromSteward(e); });
    const token = await ownerPat();
    let answer = await send(token);
    if (answer.status === 401) answer = await send(await ownerPat(token));
    if (answer.status >= 200 && answer.status < 300) return answer;
    const status = answer.status >= 400 && answer.status < 500 ? answer.status : 502;
    throw new ApiError(status, answer.json?.error ?? 'authorization_server_failed', answer.json?.error_description ?? `Steward answered ${answer.status}`);
  }

  return router;
}
