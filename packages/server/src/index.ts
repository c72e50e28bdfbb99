/** @module @steward/server — the HTTP server. */
export { createSteward, startSteward, type Steward } from './steward.ts';
export { loadConfig, ConfigError, type Config } from './config/load.ts';
export { createRealm } from './realms/create-realm.ts';
export { seedDemoRealm, publishDemoConfiguration, DEMO_PASSWORD, DEMO_RS_CONFIGURATION } from './realms/demo.ts';
export type { Deps } from './deps.ts';
export { verifySignature, signatureHeader, SIGNATURE_HEADER } from './notify/signature.ts';
export { checkNotificationConfig } from './notify/index.ts';
export { runCli } from './cli/main.ts';
export type { CliIo } from './cli/io.ts';
