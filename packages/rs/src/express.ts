/**
 * @module express — Express/Connect middleware: `app.get(path, umaExpress(enforcer, rule), handler)`;
 * the handler sees `req.uma`. Replies through Node's response API, so it works under Connect too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UmaEnforcer, UmaGrant, UmaRule } from './types.ts';

declare global {
  namespace Express {
    interface Request {
      /** The grant of a request that passed `umaExpress` (unset elsewhere). */
      uma: UmaGrant;
    }
  }
}

/** The request shape the middleware needs (an Express `Request` or a Connect `IncomingMessage`). */
export type UmaNodeRequest = IncomingMessage & { uma?: UmaGrant };

/** Middleware enforcing `rule`; passes rule errors to `next(err)`. */
export function umaExpress<Req extends UmaNodeRequest = UmaNodeRequest>(
  enforcer: UmaEnforcer,
  rule: UmaRule<Req>,
): (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void {
  if (!enforcer || typeof enforcer.check !== 'function') throw new TypeError('umaExpress: an enforcer is required');
  return (req, res, next) => {
    (async () => {
      const resourceId = await rule.resource(req);
      const scopes = typeof rule.scopes === 'function' ? rule.scopes(req) : rule.scopes;
      const result = await enforcer.check({ authorization: req.headers.authorization, resourceId, scopes, request: req, ...(rule.verify ? { verify: rule.verify } : {}) });
      if (result.ok) {
        req.uma = result.grant;
        next();
        return;
      }
      const body = JSON.stringify(result.body);
      res.statusCode = result.status;
      for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(body));
      res.end(body);
    })().catch(next);
  };
}
