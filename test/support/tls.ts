// Test-only TLS material (test/support/tls/README.md) and an HTTPS front for the fixture server.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** test/support/tls, found from this file in the sources or in the bundles under dist/. */
export function tlsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'test', 'support', 'tls');
    if (fs.existsSync(path.join(candidate, 'ca.pem'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find test/support/tls above ${__dirname}`);
}

export interface HttpsFront {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 (a certificate of the test CA) that passes every request on to `upstream` over HTTP. */
export async function startHttpsFront(upstream: string): Promise<HttpsFront> {
  const dir = tlsDir();
  const up = new URL(upstream);
  const server = https.createServer({ cert: fs.readFileSync(path.join(dir, 'server.pem')), key: fs.readFileSync(path.join(dir, 'server-key.pem')) }, (req, res) => {
    const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
