/**
 * @module test/cli/run
 * Runs the `steward` CLI: as a real process (the Node running the tests, on packages/server/src/cli.ts)
 * or in process through `runCli` with captured output. Both give the exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../packages/server/src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CLI = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));

/** Environment for a command on `databaseUrl`: no demo realm, nothing inherited from STEWARD_*. */
export function cliEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('STEWARD_')) env[k] = v;
  return { ...env, STEWARD_DATABASE_URL: databaseUrl, STEWARD_DEMO: '0', ...extra };
}

/** Spawns `steward …args` and waits for it to exit. */
export function spawnCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs `steward …args` in this process. */
export async function runInProcess(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, readStdin: async () => stdin });
  return { code, stdout, stderr };
}
