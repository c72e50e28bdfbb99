/**
 * @module notes-api/notes
 * The notes, in memory: each belongs to one owner (her Steward username) and is registered at Steward
 * as one resource, whose id is kept with it.
 */
import { randomUUID } from 'node:crypto';

export interface Note {
  id: string;
  owner: string;
  title: string;
  text: string;
  /** The note's resource id at Steward (what the UMA rules protect). */
  resourceId: string;
}

export class Notes {
  readonly #byId = new Map<string, Note>();
  readonly #byResource = new Map<string, Note>();

  add(owner: string, title: string, text: string, resourceId: string, id = randomUUID()): Note {
    const note = { id, owner, title, text, resourceId };
    this.#byId.set(id, note);
    this.#byResource.set(resourceId, note);
    return note;
  }

  get(id: string): Note | undefined {
    return this.#byId.get(id);
  }

  /** The note an owner asks for: another owner's is as unknown as a missing one. */
  ownedBy(owner: string, id: string): Note | undefined {
    const note = this.#byId.get(id);
    return note?.owner === owner ? note : undefined;
  }

  list(owner: string): Note[] {
    return [...this.#byId.values()].filter((n) => n.owner === owner);
  }

  /** Whose resource this is (the enforcer asks for her PAT). */
  ownerOfResource(resourceId: string): string | undefined {
    return this.#byResource.get(resourceId)?.owner;
  }

  delete(note: Note): void {
    this.#byId.delete(note.id);
    this.#byResource.delete(note.resourceId);
  }
}
