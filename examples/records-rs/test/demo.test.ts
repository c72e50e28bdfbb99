/**
 * `npm run demo` as a child process: it must exit 0 and narrate both stories, including the steps
 * that were built later (re-sharing) included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/demo.ts'], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('plays the bank-account and medical-record stories against a real Steward and the records server, and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo();
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    for (const line of [
      'photoz-rs publishes its record types and their template scopes: healthcare (meta, content, print); finance (meta, content, download, transfer)',
      'Bob is refused: UMA challenge, and Steward answers request_submitted',
      'Alice applies the policy through the records service',
      'Bob reads the account: balance 1200',
      'Bob cannot transfer',
      'Alice revokes the share at Steward',
      'Bob is refused again, even with his old RPT',
      'Dr. Bob reads the record: blood type A+',
      'The Surgery Center reads the record through Dr. Bob\'s re-share',
      "The Surgery Center's access is back: Dr. Bob's re-share is reinstated",
      "Dr. Bob's access is gone",
      "Dr. Bob's access is back",
      'Demo finished: every step behaved as narrated.',
    ]) {
      assert.ok(stdout.includes(line), `missing "${line}" in:\n${stdout}`);
    }
    assert.doesNotMatch(stdout, /Demo failed/);
    assert.doesNotMatch(stdout, /skipped/, 'every step of the stories is built');
  });
});
