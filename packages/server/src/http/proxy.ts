/**
 * @module http/proxy
 * Reverse proxies: `X-Forwarded-For`, `-Proto` and `-Host` are believed only when the connection
 * comes from an address listed in `STEWARD_TRUST_PROXY`; then `request.ip` is the client's address (for
 * rate limits and logs). Issuers never come from these headers: they are built from `STEWARD_BASE_URL`.
 */
import type { Config } from '../config/load.ts';

/** Fastify's `trustProxy` option: the configured addresses and CIDR ranges, or false. */
export function trustProxyOption(config: Pick<Config, 'trustProxy'>): string[] | false {
  if (config.trustProxy === null) return false;
  const list = config.trustProxy.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return list.length > 0 ? list : false;
}
