/**
 * @module endpoints/health
 * Liveness and readiness for load balancers and orchestrators. Readiness checks that the database
 * answers, that it has every migration this version knows, and that every realm's signing keys load
 * (an ES256 and an RS256 key in force); each check has a time bound so a probe never hangs.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { HealthSchema } from '../wire/metadata.ts';

const LIVE_DOCS: RouteDocs = {
  summary: 'Liveness',
  description: 'Answers as long as the process serves HTTP; checks nothing else.',
  tags: ['Operations'],
  operationId: 'healthLive',
  auth: 'none',
  responses: { '200': { description: '`{"status":"UP"}`', schema: HealthSchema } },
  errors: [],
};

const READY_DOCS: RouteDocs = {
  summary: 'Readiness',
  description:
    'Checks that the database answers, that it has every migration this version of Steward knows, and that every realm\'s signing keys load; a load balancer sends traffic only to ready nodes. Each check is bounded by two seconds.',
  tags: ['Operations'],
  operationId: 'healthReady',
  auth: 'none',
  responses: {
    '200': { description: 'Ready: `{"status":"UP"}`', schema: HealthSchema },
    '503': {
      description:
        'Not ready: `{"status":"DOWN","checks":[{"name":"database","status":"UP"},{"name":"migrations","status":"DOWN"},{"name":"signing-keys","status":"UP"}]}` (checks `database`, `migrations`, `signing-keys`; after a failed database check the others are `UNKNOWN`).',
      schema: HealthSchema,
    },
  },
  errors: [],
};

const CHECK_TIMEOUT_MS = 2000;

function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('check timed out')), CHECK_TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

type Status = 'UP' | 'DOWN' | 'UNKNOWN';

/** The readiness checks, in order; a database failure leaves the others UNKNOWN. */
export async function readiness(deps: Deps): Promise<Array<{ name: string; status: Status }>> {
  const checks: Array<{ name: string; status: Status }> = [];
  let pending: string[];
  try {
    // One statement both reaches the database and reads its migrations.
    pending = await bounded(deps.operations.pendingMigrations());
    checks.push({ name: 'database', status: 'UP' });
  } catch {
    return [{ name: 'database', status: 'DOWN' }, { name: 'migrations', status: 'UNKNOWN' }, { name: 'signing-keys', status: 'UNKNOWN' }];
  }
  checks.push({ name: 'migrations', status: pending.length === 0 ? 'UP' : 'DOWN' });
  try {
    const ok = await bounded(
      (async () => {
        const now = deps.clock.now();
        for (const realm of await deps.store.realms.list()) {
          const { byKid } = await deps.keys.keys(realm.id);
          const algs = new Set([...byKid.values()].filter((k) => k.record.activeFrom <= now).map((k) => k.record.alg));
          if (!algs.has('ES256') || !algs.has('RS256')) return false;
        }
        return true;
      })(),
    );
    checks.push({ name: 'signing-keys', status: ok ? 'UP' : 'DOWN' });
  } catch {
    checks.push({ name: 'signing-keys', status: 'DOWN' });
  }
  return checks;
}

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/health/live', { config: { docs: LIVE_DOCS } }, async () => ({ status: 'UP' }));
  app.get('/health/ready', { config: { docs: READY_DOCS } }, async (_request, reply) => {
    const checks = await readiness(deps);
    const up = checks.every((c) => c.status === 'UP');
    reply.header('cache-control', 'no-store');
    return up ? { status: 'UP' } : reply.code(503).send({ status: 'DOWN', checks });
  });
}
