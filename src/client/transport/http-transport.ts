/**
 * DM over HTTP(S) (OMA-TS-DM_HTTPBinding; reference §2.7): POST with the DM media type as
 * Content-Type (and x-syncml-hmac when the account uses HMAC), through keep-alive agents so a
 * session's messages reuse one connection. HTTPS may trust a custom root CA (a lab DM server).
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { ErrorCode } from '../../core/errors.js';
import { MediaType } from '../../core/constants/meta-types.js';
import { TransportError, type DmTransport, type TransportRequest, type TransportResponse } from './transport.js';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** Extra trusted root certificates (PEM) for HTTPS, in addition to Node's. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Keep connections open between messages (default true). */
  readonly keepAlive?: boolean;
  /** Most sockets per origin (default 256; one per concurrent session). */
  readonly maxSockets?: number;
  /** Give up on a request after this many ms without an answer (default 60 000). */
  readonly timeoutMs?: number;
  /** User-Agent header (default `omadm-device/0.1`). */
  readonly userAgent?: string;
  /** Largest reply accepted, bytes (default 16 MiB). */
  readonly maxResponseBytes?: number;
}

/** POSTs DM messages over HTTP and HTTPS. */
export class HttpTransport implements DmTransport {
  readonly #http: http.Agent;
  readonly #https: https.Agent;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #maxBytes: number;

  constructor(options: HttpTransportOptions = {}) {
    const keepAlive = options.keepAlive ?? true;
    const maxSockets = options.maxSockets ?? 256;
    this.#http = new http.Agent({ keepAlive, maxSockets });
    const ca = options.ca === undefined ? undefined : Array.isArray(options.ca) ? [...options.ca] : [options.ca as string | Buffer];
    // `ca` replaces Node's bundled roots, so add them back: the custom CA is trusted *in addition*.
    this.#https = new https.Agent({ keepAlive, maxSockets, ...(ca !== undefined ? { ca: [...rootCertificates, ...ca] } : {}) });
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#userAgent = options.userAgent ?? 'omadm-device/0.1';
    this.#maxBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  }

  /** Sends one message; resolves with any HTTP status, rejects only when no answer came. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    try {
      return await this.#send(request);
    } catch (err) {
      // A kept-alive socket the server closed meanwhile fails at once: that is not a network
      // failure worth a back-off, so resend once on a fresh connection (Node http docs, reusedSocket).
      if (err instanceof StaleSocket) return this.#send(request);
      throw err;
    }
  }

  #send(request: TransportRequest): Promise<TransportResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.reject(new TransportError(ErrorCode.ERR_TRANSPORT_UNREACHABLE, `"${request.url}" is not a valid URL`));
    }
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      return Promise.reject(new TransportError(ErrorCode.ERR_TRANSPORT_UNREACHABLE, `unsupported URL scheme "${url.protocol}" (use http: or https:)`));
    }
    const mod = secure ? https : http;
    return new Promise<TransportResponse>((resolve, reject) => {
      const req = mod.request(url, {
        method: 'POST',
        agent: secure ? this.#https : this.#http,
        headers: {
          'content-type': request.contentType,
          'content-length': String(request.body.byteLength),
          accept: `${MediaType.DM_WBXML}, ${MediaType.DM_XML}`,
          'user-agent': this.#userAgent,
          ...request.headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > this.#maxBytes) {
            req.destroy(new Error(`reply larger than ${this.#maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const headers: Record<string, string | undefined> = {};
          for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          const ct = res.headers['content-type'];
          resolve({
            status: res.statusCode ?? 0,
            body: new Uint8Array(Buffer.concat(chunks)),
            ...(ct !== undefined ? { contentType: ct } : {}),
            headers,
          });
        });
        res.on('error', (err) => reject(unreachable(request.url, err)));
      });
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code;
        reject(req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE') ? new StaleSocket() : unreachable(request.url, err));
      });
      req.end(request.body);
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

/** A reused keep-alive socket was already closed by the server. */
class StaleSocket extends Error {}

function unreachable(url: string, err: Error): TransportError {
  const code = (err as NodeJS.ErrnoException).code;
  const detail = code !== undefined && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
  return new TransportError(ErrorCode.ERR_TRANSPORT_UNREACHABLE, `cannot reach ${url}: ${detail}`, { cause: err });
}
