// A forward HTTP proxy on 127.0.0.1 that counts what passes through it and sends every request,
// whatever its host, to one upstream (the fixture server). A test that points a profile at a
// host only this proxy can reach (*.invalid) proves the request went through the proxy.
import * as http from 'node:http';
import * as net from 'node:net';

export interface CountingProxy {
  url: string;
  /** Absolute URLs of the requests it forwarded, and `CONNECT host:port` for tunnels. */
  seen: string[];
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const seen: string[] = [];
  const up = new URL(upstream);
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '/', 'http://placeholder');
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: up.host };
    delete headers['proxy-connection'];
    const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: target.pathname + target.search, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  // Proxy agents (undici's, VS Code's) tunnel even plain http through CONNECT.
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    const upstreamSocket = net.connect(Number(up.port), up.hostname, () => {
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
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
