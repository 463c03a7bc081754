// A small node:http package server for the device-side FUMO tests: single byte ranges with
// If-Range, an ETag, a download descriptor route, an install-notify sink, and faults on demand
// (cut the connection after N bytes, answer a fixed status).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface PackageServer {
  readonly url: string;
  readonly requests: { path: string; range?: string; ifRange?: string; method: string }[];
  readonly notifications: string[];
  /** Cut the body of the next `times` package responses after `bytes` bytes. */
  cutAfter(bytes: number, times: number): void;
  /** Answer the next package requests with this status. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startPackageServer(body: Uint8Array, opts: { etag?: boolean; ddExtraXml?: string } = {}): Promise<PackageServer> {
  const requests: PackageServer['requests'] = [];
  const notifications: string[] = [];
  let cut: { bytes: number; times: number } | undefined;
  let fail: number | undefined;
  const sha = createHash('sha256').update(body).digest('hex');
  const etag = `"${sha.slice(0, 16)}"`;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, method: req.method ?? 'GET', ...(req.headers.range ? { range: req.headers.range } : {}), ...(req.headers['if-range'] ? { ifRange: String(req.headers['if-range']) } : {}) });
    if (path === '/notify') {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        notifications.push(text);
        res.end('ok');
      });
      return;
    }
    if (path === '/pkg.dd') {
      const base = `http://${req.headers.host ?? ''}`;
      res.writeHead(200, { 'content-type': 'application/vnd.oma.dd+xml' });
      res.end(`<?xml version="1.0"?><media xmlns="http://www.openmobilealliance.org/xmlns/dd"><DDVersion>1.0</DDVersion>
        <type>application/octet-stream</type><size>${body.byteLength}</size><objectURI>${base}/pkg.bin</objectURI>
        <installNotifyURI>/notify</installNotifyURI><sha256 xmlns="urn:omadm:dd-ext:1">${sha}</sha256>${opts.ddExtraXml ?? ''}</media>`);
      return;
    }
    if (path !== '/pkg.bin') {
      res.writeHead(404).end();
      return;
    }
    if (fail !== undefined) {
      res.writeHead(fail).end();
      return;
    }
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      if (start >= body.byteLength) {
        res.writeHead(416, { 'content-range': `bytes */${body.byteLength}` }).end();
        return;
      }
      status = 206;
    }
    const part = body.subarray(start);
    res.writeHead(status, {
      'content-type': 'application/octet-stream', 'content-length': part.byteLength, 'accept-ranges': 'bytes',
      ...(opts.etag !== false ? { etag } : {}),
      ...(status === 206 ? { 'content-range': `bytes ${start}-${body.byteLength - 1}/${body.byteLength}` } : {}),
    });
    if (cut && cut.times > 0) {
      cut.times--;
      res.write(part.subarray(0, cut.bytes));
      // Give the client the bytes, then drop the connection mid-body.
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    notifications,
    cutAfter: (bytes, times) => { cut = { bytes, times }; },
    failWith: (s) => { fail = s; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
