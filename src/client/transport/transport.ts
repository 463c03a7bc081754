/**
 * The transport port of the device agent: POST one DM message, get the server's reply. HTTP(S)
 * is the real binding (http-transport.ts); tests and the benchmark plug in their own.
 */
import { DmError, type ErrorCode } from '../../core/errors.js';

/** One message to POST. */
export interface TransportRequest {
  readonly url: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Extra headers, e.g. x-syncml-hmac. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The server's HTTP answer (any status; the caller decides what is an error). */
export interface TransportResponse {
  readonly status: number;
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** Sends DM messages. */
export interface DmTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close(): void;
}

/** A connection that could not be made or broke, or an HTTP status the session cannot use. */
export class TransportError extends DmError {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(code: ErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}
