/**
 * @module cli
 * The `steward` command line. Command groups live in cli/*.ts and are listed in cli/commands.ts;
 * `steward --help` lists them and every command takes `--help` (see docs/cli.md).
 */
import { runCli } from './cli/main.ts';
import { processIo } from './cli/io.ts';

const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = code;
