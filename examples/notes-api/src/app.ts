/**
 * @module notes-api/app
 * The notes API: an Express 5 app whose owners connect to Steward, write notes (each registered at
 * Steward) and share them; other people's clients read shared notes with an RPT.
 */
import express from 'express';
import { createUmaEnforcer, type UmaPatStore } from '@steward/rs';
import type { NotesConfig } from './config.ts';
import { connectRoutes } from './connect.ts';
import { renderError } from './errors.ts';
import { myNotesRoutes } from './my-notes.ts';
import { Notes } from './notes.ts';
import { ownerPats, Sessions } from './owners.ts';
import { sharedNotesRoutes } from './shared-notes.ts';
import { Steward } from './steward.ts';

export interface NotesApi {
  app: express.Express;
  notes: Notes;
  pats: UmaPatStore;
}

export function createNotesApi(config: NotesConfig): NotesApi {
  const notes = new Notes();
  const pats = ownerPats(config);
  const steward = new Steward(config);
  const sessions = new Sessions();

  const enforcer = createUmaEnforcer({
    issuer: config.issuer,
    realm: 'notes',
    // Tickets are asked for with the note owner's PAT, refreshed by the kit when it expires.
    pat: ({ resourceId, refused }) => pats.pat(notes.ownerOfResource(resourceId) ?? '', refused ? { refused } : {}),
    // RPTs are for this resource server (RFC 9068 §3).
    audience: config.clientId,
    // Ask Steward about every RPT: when the owner stops sharing, the next request is refused.
    verify: 'introspection',
    introspectionCache: { maxEntries: 0 },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));
  app.use(connectRoutes(config, steward, pats, sessions));
  app.use(myNotesRoutes(config, notes, pats, steward, sessions));
  app.use(sharedNotesRoutes(notes, enforcer));
  app.use((_req: express.Request, _res: express.Response, next: express.NextFunction) => next(Object.assign(new Error('No such route'), { status: 404 })));
  app.use(renderError);
  return { app, notes, pats };
}
