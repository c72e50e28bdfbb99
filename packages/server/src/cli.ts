/**
 * @module cli
 * `steward serve` starts the server with configuration from the environment (see docs/configuration.md).
 */
import { ConfigError, loadConfig } from './config/load.ts';
import { startSteward } from './steward.ts';

const USAGE = `Usage: steward <command>

Commands:
  serve     Start the authorization server (configuration: STEWARD_* environment variables)
  help      Show this help
`;

async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`steward: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const steward = await startSteward(config);
  steward.app.log.info(`Steward listening on ${steward.address}; demo realm issuer ${config.baseUrl}/realms/demo`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    steward.app.log.info(`${signal} received, shutting down`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await steward.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const [command = 'help'] = process.argv.slice(2);
if (command === 'serve') {
  serve().catch((e: unknown) => {
    process.stderr.write(`steward: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
} else if (command === 'help' || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`steward: unknown command ${command}\n${USAGE}`);
  process.exit(2);
}
