/**
 * @module records-rs/records
 * The requesting party's API, `/records/{id}`: meta data (`meta`), content (`content`), print (`print`),
 * download (`download`) and transfer (`transfer`), each protected by UMA with the record's scope.
 */
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { notFound, RsError } from './errors.ts';
import type { RecordStore, StoredRecord } from './store.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The `/records` routes; enforcement (the `config.uma` of each route) is added by the caller. */
export function recordRoutes(app: FastifyInstance, store: RecordStore): void {
  function recordOf(request: FastifyRequest): StoredRecord {
    const record = store.get((request as IdRequest).params.id);
    if (record === undefined) throw notFound();
    return record;
  }

  /** The route's UMA declaration: the record's resource id, if the record offers the scope at all. */
  const uma = (scope: string): RouteShorthandOptions => {
    const rule = {
      scopes: [scope],
      resource: (request: FastifyRequest): string => {
        const record = recordOf(request);
        if (!record.meta.scopes.includes(scope)) throw new RsError(404, 'not_found', `This record does not offer ${scope}.`);
        return record.meta.resourceId;
      },
    };
    return { config: { uma: rule } };
  };

  app.get('/records/:id', uma('meta'), async (request) => {
    const { meta } = recordOf(request);
    return { id: meta.id, name: meta.name, type: meta.type, owner: meta.owner, scopes: meta.scopes, updated: meta.updated };
  });

  app.get('/records/:id/content', uma('content'), async (request) => recordOf(request).content);

  app.post('/records/:id/print', uma('print'), async (request) => {
    const { meta } = recordOf(request);
    return { printed: meta.name, at: new Date().toISOString() };
  });

  app.get('/records/:id/download', uma('download'), async (request, reply) => {
    const record = recordOf(request);
    const filename = record.meta.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    return reply.header('content-disposition', `attachment; filename="${filename}.json"`).send(record.content);
  });

  app.post('/records/:id/transfer', uma('transfer'), async (request) => {
    const { meta } = recordOf(request);
    return { transferred: true, from: meta.name };
  });
}
