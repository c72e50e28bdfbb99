/**
 * @module records-rs/store
 * The embedded content store: records (meta data + JSON content) in memory, optionally saved to a JSON
 * file after every change (written to a temporary file, then renamed, so a crash never leaves half a file).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordType } from './configuration.ts';

/** A record's meta data. `state` and `discoverable` follow ForgeRock's UMA resource-server sample. */
export interface RecordMeta {
  id: string;
  name: string;
  type: RecordType;
  /** The owner's user name at the authorization server. */
  owner: string;
  state: 'private' | 'shared';
  discoverable: boolean;
  /** The resource id Steward assigned at registration. */
  resourceId: string;
  /** The registered scopes: the type's template scopes plus the owner's private ones. */
  scopes: string[];
  created: string;
  updated: string;
}

/** A record: meta data and its JSON content. */
export interface StoredRecord {
  meta: RecordMeta;
  content: unknown;
}

/** Records by id; all reads return copies so callers cannot change the store by accident. */
export class RecordStore {
  readonly #records = new Map<string, StoredRecord>();
  readonly #file: string | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string | undefined) {
    this.#file = file;
  }

  /** Opens the store: in memory, or backed by `records.json` in `dataDir` (created when missing). */
  static async open(dataDir?: string): Promise<RecordStore> {
    if (dataDir === undefined) return new RecordStore(undefined);
    await mkdir(dataDir, { recursive: true });
    const store = new RecordStore(join(dataDir, 'records.json'));
    let text: string | undefined;
    try {
      text = await readFile(store.#file!, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== undefined) {
      for (const record of JSON.parse(text) as StoredRecord[]) store.#records.set(record.meta.id, record);
    }
    return store;
  }

  /** The record with this id, or undefined. */
  get(id: string): StoredRecord | undefined {
    const record = this.#records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  /** The record registered at Steward under this resource id, or undefined. */
  byResourceId(resourceId: string): StoredRecord | undefined {
    for (const record of this.#records.values()) if (record.meta.resourceId === resourceId) return structuredClone(record);
    return undefined;
  }

  /** The meta data of an owner's records, oldest first. */
  list(owner: string): RecordMeta[] {
    return [...this.#records.values()].filter((r) => r.meta.owner === owner).map((r) => structuredClone(r.meta));
  }

  /** Creates or replaces a record. */
  async put(record: StoredRecord): Promise<void> {
    this.#records.set(record.meta.id, structuredClone(record));
    await this.#save();
  }

  /** Removes a record; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const existed = this.#records.delete(id);
    if (existed) await this.#save();
    return existed;
  }

  async #save(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return;
    const text = JSON.stringify([...this.#records.values()], null, 2);
    // Saves run one after another so an older snapshot never overwrites a newer one.
    const next = this.#saving.then(async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    this.#saving = next.catch(() => {});
    await next;
  }
}
