// A saved stream played back over real HTTP on 127.0.0.1: the recorded status and headers, then the
// body cut where the network cut it, each piece when it arrived (divided by `speed`). A temporary
// profile of the recorded kind points at it, so the replay goes through the same adapter, fold and
// surfaces as the original answer. ERNIE's token request gets a stand-in token. No `vscode` here.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReplayPlan } from '../core/fixtureFile';
import type { ProviderProfile } from '../core/types';

export interface ReplayServer {
  url: string;
  /** Answers served (ERNIE's token requests not counted). */
  served: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Serves `plan` to every request (any path), at `speed` times its recorded pace. */
export async function startReplayServer(plan: ReplayPlan, speed = 1): Promise<ReplayServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { served: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => void serve(req, res));
  });
  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if ((req.url ?? '').includes('/oauth/2.0/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'replay-token', expires_in: 3600 }));
      return;
    }
    state.served++;
    await sleep(plan.headersMs / speed);
    if (res.destroyed) return;
    res.writeHead(plan.status, plan.headers);
    res.flushHeaders();
    const t0 = performance.now();
    let from = 0;
    for (let i = 0; i < plan.pieceEnds.length; i++) {
      await sleep(t0 + plan.pieceMs[i] / speed - performance.now());
      if (res.destroyed) return;
      const end = plan.pieceEnds[i];
      if (end > from) res.write(plan.body.subarray(from, end));
      from = end;
    }
    res.end();
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get served() {
      return state.served;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * The temporary profile a replay answers with: the recorded kind and the fields that decide how
 * its bytes are read, pointed at the replay server, no retries, no proxy. Its timeouts are the
 * defaults: a silence that timed out the original times out again at 1×.
 */
export function replayProfile(plan: ReplayPlan, serverUrl: string, id: string, label: string): ProviderProfile {
  const p = plan.profile;
  const profile: ProviderProfile = {
    id, label, kind: p.kind, model: p.model || 'replay', baseUrl: serverUrl, maxRetries: 0, proxy: '',
  };
  for (const k of ['stream', 'streamUsage', 'textPath', 'doneWhen', 'cumulative', 'body', 'params', 'apiVersion'] as const) {
    if (p[k] !== undefined) (profile as unknown as Record<string, unknown>)[k] = p[k];
  }
  if (p.kind === 'sse') profile.url = `${serverUrl}/stream`;
  return profile;
}
