// What the provider tests share: an API over one profile, one-off HTTP servers for streams no
// recorded fixture has, and the shape of a fixture's `expected` block.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi, type ApiDeps } from '../../src/api';
import type { ProviderProfile } from '../../src/core/types';

/** The public API over one profile (no retries unless the profile asks), with fixed keys. */
export function apiWith(profile: ProviderProfile, keys: { apiKey?: string; secretKey?: string } = { apiKey: 'sk-test' }, deps: Partial<ApiDeps> = {}) {
  return createApi({ profiles: () => [{ maxRetries: 0, ...profile }], activeProfileId: () => profile.id, keysFor: async () => keys, ...deps });
}

export interface SeenRequest { url: string; headers: http.IncomingHttpHeaders; body: string }

export interface RawServer {
  url: string;
  /** Every request, with its whole body. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 whose handler gets the request with its whole body already read. */
export async function rawServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<RawServer> {
  const seen: SeenRequest[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }),
  };
}

/** A server that answers every request with one body (or one made from the request). */
export function replyServer(body: string | ((req: http.IncomingMessage, raw: string) => string), contentType = 'text/event-stream', status = 200): Promise<RawServer> {
  return rawServer((req, res, raw) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : body(req, raw));
  });
}

/** A recorded fixture's `expected` block (FORMATS.md), the fields the tests read. */
export interface Expected {
  text?: string;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ id: string; name: string; arguments: string }>;
  finish_reason?: string | null;
  usage_normalized?: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
  error?: { http_status: number; retryable: boolean; retry_after_ms?: number | null; message: string } | null;
  terminated_by?: string;
}
