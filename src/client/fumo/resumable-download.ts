/**
 * HTTP(S) package download that survives interruptions: bytes are checkpointed to a
 * {@link PartialDownloadStore} as they arrive, and the next try asks for the rest with
 * `Range: bytes=<n>-` guarded by `If-Range` (RFC 9110 §13.1.5, §14), falling back to the whole
 * package when the server answers 200. The result is checked against the expected size and
 * SHA-256. Failures carry the FUMO result code to report (reference §2.3).
 */
import { createHash } from 'node:crypto';
import { FumoResult } from '../../core/constants/fumo.js';
import { resultForHttpStatus } from '../mo/fumo-updater.js';
import type { PartialDownloadState, PartialDownloadStore } from './partial-download-store.js';

/** Options of {@link resumableDownload}. */
export interface ResumableDownloadOptions {
  readonly url: string;
  /** Where partial bytes are kept between tries and restarts (none: only within this call). */
  readonly store?: PartialDownloadStore;
  /** Store key (default: the URL). */
  readonly key?: string;
  readonly fetch?: typeof fetch;
  readonly expectedSize?: number;
  /** Lower-case hex SHA-256. */
  readonly expectedSha256?: string;
  /** Largest package accepted; more is 501 (download fails, device out of memory). Default 64 MiB. */
  readonly maxBytes?: number;
  /** Time-out of one request, ms; exceeded is 407 when no retry is left. Default 120 000. */
  readonly timeoutMs?: number;
  /** Further tries after a broken transfer in this call, each resuming (default 2). */
  readonly retries?: number;
  /** Pause before a retry, ms (default 100 × try). */
  readonly retryDelayMs?: number;
  /** Bytes between checkpoints to the store (default 64 KiB). */
  readonly checkpointBytes?: number;
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Sees each chunk at its offset; may return other bytes or throw to break the transfer (fault injection). */
  readonly onChunk?: (chunk: Uint8Array, offset: number) => Uint8Array;
  readonly sleep?: (ms: number) => Promise<void>;
  /** A response to a plain GET of `url` the caller already has (used for the first try when nothing is stored). */
  readonly firstResponse?: Response;
}

/** A finished download. */
export interface DownloadSuccess {
  readonly ok: true;
  readonly data: Uint8Array;
  /** HTTP requests made. */
  readonly requests: number;
  /** Offsets the download resumed from (empty: one go). */
  readonly resumedFrom: readonly number[];
}

/** A failed download, with the FUMO result code to report. */
export interface DownloadFailure {
  readonly ok: false;
  readonly resultCode: number;
  readonly reason: string;
  /** Bytes kept for a later resume. */
  readonly received: number;
}

class Broken extends Error {
  constructor(readonly resultCode: number, message: string) {
    super(message);
  }
}

/** Downloads `url`, resuming from stored bytes; never throws. */
export async function resumableDownload(o: ResumableDownloadOptions): Promise<DownloadSuccess | DownloadFailure> {
  let url: URL;
  try {
    url = new URL(o.url.trim());
  } catch {
    return { ok: false, resultCode: FumoResult.BAD_URL, reason: `malformed URL "${o.url}"`, received: 0 };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, resultCode: FumoResult.BAD_URL, reason: `unsupported scheme ${url.protocol}`, received: 0 };
  url.hash = '';
  const d = new Download(o, url.href);
  try {
    return await d.run();
  } catch (err) {
    const code = err instanceof Broken ? err.resultCode : FumoResult.DOWNLOAD_NETWORK_ERROR;
    await d.flush().catch(() => undefined);
    return { ok: false, resultCode: code, reason: (err as Error).message, received: d.received };
  }
}

class Download {
  readonly #o: ResumableDownloadOptions;
  readonly #href: string;
  readonly #key: string;
  readonly #max: number;
  #chunks: Uint8Array[] = [];
  #unflushed: Uint8Array[] = [];
  #unflushedBytes = 0;
  #state: PartialDownloadState;
  #firstResponse: Response | undefined;
  received = 0;

  constructor(o: ResumableDownloadOptions, href: string) {
    this.#o = o;
    this.#firstResponse = o.firstResponse;
    this.#href = href;
    this.#key = o.key ?? href;
    this.#max = o.maxBytes ?? 64 * 1024 * 1024;
    this.#state = { url: href, received: 0 };
  }

  async run(): Promise<DownloadSuccess | DownloadFailure> {
    const o = this.#o;
    const stored = await o.store?.load(this.#key);
    if (stored && stored.state.url === this.#href && stored.data.byteLength > 0) {
      this.#chunks = [stored.data];
      this.received = stored.data.byteLength;
      this.#state = stored.state;
    } else if (stored) {
      await o.store?.clear(this.#key);
    }
    if (this.received > 0) {
      await this.#firstResponse?.body?.cancel();
      this.#firstResponse = undefined;
    }
    const resumedFrom: number[] = [];
    const retries = o.retries ?? 2;
    let requests = 0;
    for (let attempt = 0; ; attempt++) {
      if (this.received > 0) resumedFrom.push(this.received);
      requests++;
      try {
        if (await this.#fetchOnce()) break;
      } catch (err) {
        if (!(err instanceof Broken) || (err.resultCode !== FumoResult.DOWNLOAD_NETWORK_ERROR && err.resultCode !== FumoResult.DOWNLOAD_TIMEOUT)) throw err;
        await this.flush();
        if (attempt >= retries) throw err;
        await (o.sleep ?? delay)((o.retryDelayMs ?? 100) * (attempt + 1));
      }
    }
    const data = new Uint8Array(Buffer.concat(this.#chunks));
    const size = o.expectedSize ?? this.#state.total;
    if (size !== undefined && data.byteLength !== size) return this.#corrupt(`size ${data.byteLength}, expected ${size}`);
    if (o.expectedSha256 !== undefined && createHash('sha256').update(data).digest('hex') !== o.expectedSha256.toLowerCase()) return this.#corrupt('SHA-256 mismatch');
    await o.store?.clear(this.#key);
    return { ok: true, data, requests, resumedFrom };
  }

  /** One request; true when the package is complete. */
  async #fetchOnce(): Promise<boolean> {
    const o = this.#o;
    const headers: Record<string, string> = {};
    if (this.received > 0) {
      headers['range'] = `bytes=${this.received}-`;
      const validator = this.#state.etag ?? this.#state.lastModified;
      if (validator !== undefined) headers['if-range'] = validator;
    }
    let res: Response;
    const given = this.received === 0 ? this.#firstResponse : undefined;
    this.#firstResponse = undefined;
    try {
      res = given ?? (await (o.fetch ?? globalThis.fetch)(this.#href, { headers, signal: AbortSignal.timeout(o.timeoutMs ?? 120_000) }));
    } catch (err) {
      throw brokenBy(err);
    }
    if (res.status === 416 && this.received > 0) {
      await res.body?.cancel();
      const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
      if (total === this.received) return true;
      await this.#restart(); // the stored bytes are not a prefix of this package
      throw new Broken(FumoResult.DOWNLOAD_NETWORK_ERROR, 'range not satisfiable; starting over');
    }
    if (res.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== this.received) {
        await res.body?.cancel();
        await this.#restart();
        throw new Broken(FumoResult.DOWNLOAD_NETWORK_ERROR, 'unexpected Content-Range; starting over');
      }
      if (m[3] !== '*') this.#state = { ...this.#state, total: Number(m[3]) };
    } else if (res.ok) {
      // 200: the server ignored the Range (or the package changed, If-Range): take it whole.
      if (this.received > 0) await this.#restart();
      const length = res.headers.get('content-length');
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      this.#state = {
        url: this.#href, received: 0,
        ...(length !== null && /^\d+$/.test(length) ? { total: Number(length) } : {}),
        ...(etag !== null && !etag.startsWith('W/') ? { etag } : {}),
        ...(lastModified !== null ? { lastModified } : {}),
      };
    } else {
      await res.body?.cancel();
      throw new Broken(resultForHttpStatus(res.status), `HTTP ${res.status}`);
    }
    const total = this.#state.total;
    if (total !== undefined && total > this.#max) throw new Broken(FumoResult.DOWNLOAD_OUT_OF_MEMORY, `package of ${total} bytes`);
    try {
      for await (const raw of res.body ?? []) {
        const chunk = o.onChunk ? o.onChunk(raw, this.received) : raw;
        if (this.received + chunk.byteLength > this.#max) throw new Broken(FumoResult.DOWNLOAD_OUT_OF_MEMORY, 'package too large');
        this.#take(chunk);
        if (this.#unflushedBytes >= (o.checkpointBytes ?? 64 * 1024)) await this.flush();
        o.onProgress?.(this.received, total);
      }
    } catch (err) {
      if (err instanceof Broken) throw err;
      throw brokenBy(err);
    }
    await this.flush();
    // A body that ended early without an error (no Content-Length check by fetch): resume it.
    if (total !== undefined && this.received < total) throw new Broken(FumoResult.DOWNLOAD_NETWORK_ERROR, `transfer ended at ${this.received} of ${total} bytes`);
    return true;
  }

  /** Writes the bytes not yet checkpointed. */
  async flush(): Promise<void> {
    if (this.#o.store === undefined || this.#unflushedBytes === 0) return;
    const chunk = new Uint8Array(Buffer.concat(this.#unflushed));
    this.#unflushed = [];
    this.#unflushedBytes = 0;
    await this.#o.store.append(this.#key, { ...this.#state, received: this.received }, chunk);
  }

  #take(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.received += chunk.byteLength;
    if (this.#o.store !== undefined) {
      this.#unflushed.push(chunk);
      this.#unflushedBytes += chunk.byteLength;
    }
  }

  async #restart(): Promise<void> {
    this.#chunks = [];
    this.#unflushed = [];
    this.#unflushedBytes = 0;
    this.received = 0;
    this.#state = { url: this.#href, received: 0 };
    await this.#o.store?.clear(this.#key);
  }

  async #corrupt(reason: string): Promise<DownloadFailure> {
    // A corrupt package is not kept: the next attempt downloads it afresh.
    await this.#o.store?.clear(this.#key);
    return { ok: false, resultCode: FumoResult.CORRUPTED_PACKAGE, reason, received: 0 };
  }
}

function brokenBy(err: unknown): Broken {
  const name = err instanceof Error ? err.name : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  return new Broken(timedOut ? FumoResult.DOWNLOAD_TIMEOUT : FumoResult.DOWNLOAD_NETWORK_ERROR, err instanceof Error ? err.message : String(err));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
