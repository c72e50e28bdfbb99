/**
 * The notes example end to end, as docs/guides/protect-your-api.md tells it: the realm, users and
 * clients made by the `steward` commands of `setup.sh`, Steward and the notes API listening on real
 * ports (SQLite), then the story (story.ts): Alice connects by the authorization code flow with PKCE,
 * her note is registered, Bob's client is refused with a ticket, she shares, Bob reads and the API sees
 * his username, she stops sharing, she deletes the note and its resource is gone at Steward.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { UmaError } from '@steward/client';
import { freshDatabaseUrl } from '../../../packages/store/test/databases.ts';
import { cliEnv, runInProcess } from '../../../test/cli/run.ts';
import { freePort, startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createNotesApi } from '../src/app.ts';
import { noteReader, passwordIdToken } from '../src/client.ts';
import { playNotesStory, type ReadResult } from './story.ts';

const PASSWORDS: Record<string, string> = { ALICE_PASSWORD: 'alice-notes-pw', BOB_PASSWORD: 'bob-notes-pw' };

/** The `npx steward …` commands of setup.sh, as argument lists (double quotes and $NOTES_URL resolved) with their stdin. */
function setupCommands(notesUrl: string): Array<{ args: string[]; stdin: string }> {
  const script = readFileSync(new URL('../setup.sh', import.meta.url), 'utf8');
  return script.split('\n').filter((line) => line.includes('npx steward ')).map((line) => {
    const piped = /^printf '%s' "\$(\w+)" \| /.exec(line);
    const command = line.slice(line.indexOf('npx steward ') + 'npx steward '.length);
    const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replaceAll('$NOTES_URL', notesUrl));
    return { args, stdin: piped ? PASSWORDS[piped[1]!]! : '' };
  });
}

describe('the notes example against Steward (sqlite)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let s: TestSteward;
  let server: Server;
  let notesUrl: string;
  const secrets: Record<string, string> = {};

  before(async () => {
    db = await freshDatabaseUrl('sqlite');
    const port = await freePort();
    notesUrl = `http://127.0.0.1:${port}`;
    for (const { args, stdin } of setupCommands(notesUrl)) {
      const ran = await runInProcess(args, cliEnv(db.url), stdin);
      assert.equal(ran.code, 0, `steward ${args.join(' ')}: ${ran.stderr}`);
      const secret = /Client secret \(shown once\): (\S+)/.exec(ran.stdout)?.[1];
      if (secret) secrets[args[args.indexOf('--client-id') + 1]!] = secret;
    }
    assert.deepEqual(Object.keys(secrets).sort(), ['notes-api', 'notes-reader']);
    s = await startTestSteward('sqlite', { listen: true, demo: false, databaseUrl: db.url });
    const { app } = createNotesApi({ baseUrl: notesUrl, issuer: `${s.baseUrl}/realms/notes`, clientId: 'notes-api', clientSecret: secrets['notes-api']! });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
    });
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await s?.close();
    await db?.drop();
  });

  it('plays the guide: connect, register, refused, share, read with the username, unshare, delete', async () => {
    const issuer = `${s.baseUrl}/realms/notes`;
    const reader = noteReader({
      issuer,
      clientId: 'notes-reader',
      clientSecret: secrets['notes-reader']!,
      idToken: () => passwordIdToken(issuer, 'notes-reader', secrets['notes-reader']!, 'bob', PASSWORDS.BOB_PASSWORD!),
    });
    await playNotesStory({
      notesUrl,
      issuer,
      owner: { username: 'alice', password: PASSWORDS.ALICE_PASSWORD! },
      reader: { username: 'bob', clientId: 'notes-reader' },
      read: async (url): Promise<ReadResult> => {
        try {
          const res = await reader.fetch(url);
          return { status: res.status, body: await res.json() };
        } catch (e) {
          if (e instanceof UmaError) return { error: e.code };
          throw e;
        }
      },
      resourceAtSteward: async (id) => {
        const r = await s.deps.store.resources.getByServer('notes', 'notes-api', id);
        if (!r) return null;
        const owner = await s.deps.store.users.get('notes', r.owner);
        return { name: r.name ?? '', owner: owner?.username ?? r.owner, scopes: r.scopes };
      },
      heldRpt: () => reader.rptFor(issuer) ?? undefined,
    });
  });
});
