/**
 * A separate process for cross-process tests: `child.ts <startAt> <url> open` opens (and migrates)
 * the store; `child.ts <startAt> <url> consume <realm> <hash> <now>` consumes a ticket. Each waits
 * until the wall-clock time `startAt` (ms) so that sibling processes really start together.
 * `child.ts <startAt> <url> disable-user <realm> <id>` disables a user, as `steward` run beside a server
 * would. Prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '@steward/store';

const [startAt, url, mode, realm, hash, now] = process.argv.slice(2);
await sleep(Math.max(0, Number(startAt) - Date.now()));
const store = await openStore(url!);
try {
  if (mode === 'disable-user') {
    const user = await store.users.get(realm!, hash!);
    console.log(JSON.stringify({ updated: user !== null && (await store.users.update({ ...user, disabled: true })) }));
  } else if (mode === 'consume') {
    const ticket = await store.tickets.consume(realm!, hash!, Number(now));
    console.log(JSON.stringify({ got: ticket !== null }));
  } else {
    await store.ping();
    console.log(JSON.stringify({ ok: true }));
  }
} finally {
  await store.close();
}
