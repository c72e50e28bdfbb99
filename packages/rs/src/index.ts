/** @module @steward/rs — UMA 2.0 policy enforcement for resource servers: one core, a Fastify plugin and Express/Connect middleware. */
export { createUmaEnforcer, bearerToken } from './enforcer.ts';
export { umaFastify, type UmaFastifyOptions } from './fastify.ts';
export { umaExpress, type UmaNodeRequest } from './express.ts';
export { UNREACHABLE_WARNING } from './responses.ts';
export type { UmaAccessReportOptions, UmaAccessReportStats } from './access-reports.ts';
export { registerResource, deleteResource, type UmaProtectionCall, type UmaRegisteredResource, type UmaResourceDescription } from './resources.ts';
export { createPatStore, ownerTokensOf, type UmaOwnerTokens, type UmaPatStore, type UmaPatStoreOptions } from './pat-store.ts';
export { UmaEnforcerError, ENFORCER_ERROR_KINDS, TOKEN_DESCRIPTIONS, type UmaEnforcerErrorCode, type UmaEnforcerErrorKind } from './errors.ts';
export type {
  UmaCheckInput,
  UmaCheckResult,
  UmaDenial,
  UmaEnforcer,
  UmaEnforcerOptions,
  UmaRefusalContext,
  UmaGrant,
  UmaPatContext,
  UmaPermission,
  UmaRule,
  UmaSelfCheckOptions,
  UmaSelfCheckReport,
  UmaVerifyMode,
} from './types.ts';
