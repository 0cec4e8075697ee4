import type * as vscode from 'vscode';

/** An in-memory Memento (a JSON round trip, as VS Code stores it), with the keys written in order. */
export function memento(): { m: vscode.Memento; map: Map<string, unknown>; writes: string[] } {
  const map = new Map<string, unknown>();
  const writes: string[] = [];
  const m = {
    get: <T>(k: string) => map.get(k) as T | undefined,
    update: async (k: string, v: unknown) => {
      writes.push(k);
      if (v === undefined) map.delete(k);
      else map.set(k, JSON.parse(JSON.stringify(v)));
    },
    keys: () => [...map.keys()],
  };
  return { m: m as unknown as vscode.Memento, map, writes };
}
