// The chat's conversations on disk, in the extension's storage folder: one JSON file per key,
// behind the two Memento methods ChatHistory uses. VS Code's workspaceState sends the extension's
// whole state (every conversation) to the workbench on every update, where it is serialized again
// and stored; while an answer streams, history saves it once a second, so a long history made the
// workbench (and the chat view, which shares its thread in code-server) stall more the more the
// user kept. Here a save writes one small file from the extension host, off its thread (the
// writes took 1–4 ms of it, right between Enter and the request going out: bench/run.mjs, hop).
// No `vscode` import.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
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
  /** Each key's latest version, and the version on disk: an older write never replaces a newer one. */
  private readonly version = new Map<string, number>();
  private readonly onDisk = new Map<string, number>();
  /** The writes, one after another. */
  private writes: Promise<void> = Promise.resolve();
  private tmpCount = 0;

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
   * Takes the value at once (a `get` sees it); the file is written after the current task, with
   * whatever else changed meanwhile, by asynchronous I/O (the extension host's thread stays free
   * for the request and the stream). Resolves when it is on disk.
   */
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value === undefined ? undefined : JSON.stringify(value));
    this.version.set(key, (this.version.get(key) ?? 0) + 1);
    this.dirty.add(key);
    this.flushing ??= new Promise<void>((resolve) => setTimeout(() => {
      this.flushing = undefined;
      const batch = [...this.dirty].map((k) => ({ key: k, json: this.values.get(k), version: this.version.get(k) ?? 0 }));
      this.dirty.clear();
      this.writes = this.writes.then(async () => {
        for (const w of batch) await this.writeAsync(w.key, w.json, w.version);
      });
      resolve(this.writes);
    }, 0));
    return this.flushing;
  }

  /** Writes what is not on disk yet, now (when the window is going away: no time for later). */
  flushSync(): void {
    for (const key of [...this.dirty]) {
      this.dirty.delete(key);
      try {
        this.write(key);
        this.onDisk.set(key, this.version.get(key) ?? 0);
      } catch (err) {
        this.onError(`chat history: cannot write ${this.file(key)}: ${String(err)}`);
      }
    }
  }

  private async writeAsync(key: string, json: string | undefined, version: number): Promise<void> {
    const file = this.file(key);
    // flushSync (the window going away) got there first. Only a rename already under way when it
    // ran could still land after it, one save (about a second of an answer) older.
    const newer = () => (this.onDisk.get(key) ?? 0) >= version;
    try {
      if (newer()) return;
      if (json === undefined) {
        await fsp.rm(file, { force: true });
      } else {
        await fsp.mkdir(this.dir, { recursive: true });
        // A whole file or the one before: a window closed mid-write never leaves half a message.
        const tmp = `${file}.${++this.tmpCount}.tmp`;
        await fsp.writeFile(tmp, json);
        if (newer()) return void (await fsp.rm(tmp, { force: true }));
        await fsp.rename(tmp, file);
      }
      this.onDisk.set(key, Math.max(version, this.onDisk.get(key) ?? 0));
    } catch (err) {
      this.onError(`chat history: cannot write ${file}: ${String(err)}`);
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
