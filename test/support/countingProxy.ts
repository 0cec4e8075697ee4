// A forward HTTP proxy on 127.0.0.1 that counts what passes through it and sends every request,
// whatever its host, to one upstream (the fixture server). A test that points a profile at a
// host only this proxy can reach (*.invalid) proves the request went through the proxy.
import * as http from 'node:http';
import * as net from 'node:net';

export interface CountingProxy {
  url: string;
  /** Absolute URLs of the requests it forwarded, and `CONNECT host:port` for tunnels. */
  seen: string[];
  /** The Proxy-Authorization header of each of those, in the same order ('' when there was none). */
  auth: string[];
  close(): Promise<void>;
}

export interface CountingProxyOptions {
  /** `user:password`: anything else gets 407 Proxy Authentication Required. */
  credentials?: string;
}

export async function startCountingProxy(upstream: string, opts: CountingProxyOptions = {}): Promise<CountingProxy> {
  const seen: string[] = [];
  const auth: string[] = [];
  const up = new URL(upstream);
  const expected = opts.credentials ? `Basic ${Buffer.from(opts.credentials).toString('base64')}` : undefined;
  const allowed = (req: http.IncomingMessage) => !expected || req.headers['proxy-authorization'] === expected;
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    auth.push(req.headers['proxy-authorization'] ?? '');
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
      res.end();
      return;
    }
    const target = new URL(req.url ?? '/', 'http://placeholder');
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: up.host };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: target.pathname + target.search, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  // Proxy agents (undici's, VS Code's) tunnel even plain http through CONNECT.
  const tunnels = new Set<net.Socket>();
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    seen.push(`CONNECT ${req.url ?? ''}`);
    auth.push(req.headers['proxy-authorization'] ?? '');
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstreamSocket = net.connect(Number(up.port || (up.protocol === 'https:' ? 443 : 80)), up.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstreamSocket.write(head);
      upstreamSocket.pipe(client);
      client.pipe(upstreamSocket);
    });
    upstreamSocket.on('error', () => client.destroy());
    client.on('error', () => upstreamSocket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    auth,
    close: () => new Promise((r) => {
      for (const t of tunnels) t.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
