/** @module cli/serve — `steward serve`: the authorization server, until SIGTERM or SIGINT. */
import { PendingMigrationsError, startSteward } from '../steward.ts';
import { loadConfig } from '../config/load.ts';
import { consoleBuilt, consoleNotBuiltWarning } from '../endpoints/account-console.ts';
import { CommandError, EXIT_OK, parseFlags, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward serve

Starts the authorization server. Configuration comes from STEWARD_* environment variables and the
optional JSON file named by STEWARD_CONFIG (see docs/configuration.md). Stops on SIGTERM or SIGINT.
The account console is served from its build (\`npm run build\`, see docs/install.md); without one
the server starts anyway, logs a warning, and the console's page answers 503 saying how to build it.
`;

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, {});
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const config = loadConfig(io.env);
  const steward = await startSteward(config).catch((e: unknown) => {
    throw e instanceof PendingMigrationsError ? new CommandError(e.message) : e;
  });
  const demo = await steward.deps.store.realms.get('demo');
  steward.app.log.info(`Steward listening on ${steward.address}${demo ? `; demo realm issuer ${config.baseUrl}/realms/demo` : ''}`);
  if (!(await consoleBuilt())) steward.app.log.warn(consoleNotBuiltWarning());
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    steward.app.log.info(`${signal} received, shutting down`);
    // The drain closes busy connections at STEWARD_SHUTDOWN_TIMEOUT; this is the last resort after it.
    const timer = setTimeout(() => process.exit(1), (config.shutdownTimeout + 5) * 1000);
    timer.unref();
    await steward.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Runs until a signal ends the process.
  return new Promise<number>(() => {});
}

export const serveCommand: CommandGroup = { name: 'serve', summary: 'Start the authorization server', run: serve };
