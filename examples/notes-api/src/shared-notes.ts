/**
 * @module notes-api/shared-notes
 * The requesting party's routes, protected with `@steward/rs`: `GET /notes/:id` needs the scope
 * `read` on the note's resource, `PUT /notes/:id` needs `edit`. Without an RPT that grants it the
 * client gets `401` with a UMA ticket (UMA Grant §3.2.1); with one, the handler sees `req.uma`.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { umaExpress, type UmaEnforcer, type UmaGrant } from '@steward/rs';
import { ApiError } from './errors.ts';
import type { Note, Notes } from './notes.ts';

/** What a reader is shown of the grant: who reads, with which client, what was granted (never the RPT itself). */
export function grantView(grant: UmaGrant) {
  return { subject: grant.subject, username: grant.username, clientId: grant.clientId, granted: grant.granted };
}

export function sharedNotesRoutes(notes: Notes, enforcer: UmaEnforcer): Router {
  const router = Router();
  // The note must exist before the kit asks Steward about its resource.
  const loadNote = (req: Request, res: Response, next: NextFunction) => {
    const note = notes.get(String(req.params.id));
    if (!note) return next(new ApiError(404, 'not_found', 'No such note'));
    res.locals.note = note;
    next();
  };
  const resourceOf = (req: Request) => (req.res!.locals.note as Note).resourceId;

  router.get('/notes/:id', loadNote, umaExpress(enforcer, { resource: resourceOf, scopes: ['read'] }), (req, res) => {
    const note: Note = res.locals.note;
    res.json({ id: note.id, title: note.title, text: note.text, owner: note.owner, readBy: req.uma.username, uma: grantView(req.uma) });
  });

  router.put('/notes/:id', loadNote, umaExpress(enforcer, { resource: resourceOf, scopes: ['edit'] }), (req, res) => {
    const text = req.body?.text;
    if (typeof text !== 'string' || text.length > 10_000) throw new ApiError(400, 'invalid_request', 'text must be a string of at most 10000 characters');
    const note: Note = res.locals.note;
    note.text = text;
    res.json({ id: note.id, text: note.text, editedBy: req.uma.username });
  });

  return router;
}
