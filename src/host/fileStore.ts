// The chat's conversations on disk, in the extension's storage folder: one JSON file per key,
// behind the two Memento methods ChatHistory uses. VS Code's workspaceState sends the extension's
// whole state (every conversation) to the workbench on every update, where it is serialized again
// and stored; while an answer streams, history saves it once a second, so a long history made the
// workbench (and the chat view, which shares its thread in code-server) stall more the more the
// user kept. Here a save writes one small file from the extension host. No `vscode` import.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What ChatHistory needs of a store (a subset of vscode.Memento). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** A store being adopted, with its keys (vscode.Memento). */
export interface ReadableStore extends KeyValueStore {
  keys(): readonly string[];
}

export class FileStore implements KeyValueStore {
  /** Each key's JSON as last read or written; undefined: no such key. */
  private readonly values = new Map<string, string | undefined>();
  /** Keys changed and not yet on disk. */
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> | undefined;

  constructor(readonly dir: string, private readonly onError: (message: string) => void = () => undefined) {}

  get<T>(key: string): T | undefined {
    const json = this.read(key);
    if (json === undefined) return undefined;
    try {
      return JSON.parse(json) as T;
    } catch {
      this.onError(`chat history: ${this.file(key)} is not JSON; ignored`);
      return undefined;
    }
  }

  /**
   * Takes the value at once (a `get` sees it); the file is written right after the current task,
   * with whatever else changed meanwhile (synchronously: a small file, and no write can overtake another).
   */
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value === undefined ? undefined : JSON.stringify(value));
    this.dirty.add(key);
    this.flushing ??= new Promise<void>((resolve) => setTimeout(() => {
      this.flushing = undefined;
      this.flushSync();
      resolve();
    }, 0));
    return this.flushing;
  }

  /** Writes what is not on disk yet, now (also when the window is going away: no time for later). */
  flushSync(): void {
    for (const key of [...this.dirty]) {
      this.dirty.delete(key);
      try {
        this.write(key);
      } catch (err) {
        this.onError(`chat history: cannot write ${this.file(key)}: ${String(err)}`);
      }
    }
  }

  /**
   * Moves the keys `owns` picks from `from` (the workspaceState of earlier versions) into this store,
   * the first time only (when this store has no folder yet), and then deletes them from `from`.
   */
  adopt(from: ReadableStore, owns: (key: string) => boolean): number {
    if (fs.existsSync(this.dir)) return 0;
    const keys = from.keys().filter(owns);
    for (const key of keys) void this.update(key, from.get(key));
    this.flushSync();
    fs.mkdirSync(this.dir, { recursive: true });
    for (const key of keys) void from.update(key, undefined);
    return keys.length;
  }

  private read(key: string): string | undefined {
    if (!this.values.has(key)) {
      let json: string | undefined;
      try {
        json = fs.readFileSync(this.file(key), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(`chat history: cannot read ${this.file(key)}: ${String(err)}`);
      }
      this.values.set(key, json);
    }
    return this.values.get(key);
  }

  private write(key: string): void {
    const json = this.values.get(key);
    const file = this.file(key);
    if (json === undefined) {
      fs.rmSync(file, { force: true });
      return;
    }
    fs.mkdirSync(this.dir, { recursive: true });
    // A whole file or the one before: a window closed mid-write never leaves half a message.
    fs.writeFileSync(`${file}.tmp`, json);
    fs.renameSync(`${file}.tmp`, file);
  }

  private file(key: string): string {
    return path.join(this.dir, `${encodeURIComponent(key)}.json`);
  }
}
