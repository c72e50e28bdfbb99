/** @module @steward/client — UMA 2.0 client kit: a fetch that answers UMA challenges with RPTs (wire protocol only, any UMA 2.0 server). */
export { createUmaClient, type UmaClient, type UmaClientOptions, type ClaimToken, type RptInfo } from './client.ts';
export { UmaError, type UmaErrorCode, type UmaErrorDetails, type NeedInfo, type RequiredClaim } from './errors.ts';
export { parseWwwAuthenticate, findUmaChallenge, type AuthChallenge, type UmaChallenge } from './challenge.ts';
