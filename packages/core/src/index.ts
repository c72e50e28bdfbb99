/** @module @steward/core — the domain: model, ports, decisions and services. No I/O, no framework. */
export * from './errors.ts';
export * from './model/realm.ts';
export * from './model/user.ts';
export * from './model/client.ts';
export * from './model/resource.ts';
export * from './model/policy.ts';
export * from './model/permission.ts';
export * from './model/ticket.ts';
export * from './model/token.ts';
export * from './model/session.ts';
export * from './model/access-request.ts';
export * from './model/key.ts';
export type * from './ports/store.ts';
export type * from './ports/crypto.ts';
export type * from './services/ports.ts';
export * from './services/issue-tokens.ts';
export * from './services/verify-token.ts';
export * from './services/authenticate-user.ts';
