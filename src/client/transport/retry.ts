/**
 * Connection retry (reference §4, WM "OMA DM Client Connection Retry"): connection failures and
 * HTTP 404/408/413/500/503/504 are retried with exponential back-off,
 * `wait_n = min(INITIAL * 2^(n-1), MAX)` for n = 1..CONNRETRYFREQ, resending the same message.
 * Time is injected (`sleep`) so tests drive the back-off with a fake clock.
 */
import { ErrorCode } from '../../core/errors.js';
import { TransportError, type DmTransport, type TransportRequest, type TransportResponse } from './transport.js';

/** Retry settings of a DM account (w7 CONNRETRYFREQ / INITIALBACKOFFTIME / MAXBACKOFFTIME). */
export interface RetryPolicy {
  /** How many times to retry after the first attempt. */
  readonly retries: number;
  /** First wait, ms. */
  readonly initialBackOffMs: number;
  /** Cap on any wait, ms. */
  readonly maxBackOffMs: number;
}

/** Windows defaults: 3 retries, 16 s first wait, 24 h cap (reference §4). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, initialBackOffMs: 16_000, maxBackOffMs: 86_400_000 };

/** HTTP statuses the WM client retries (reference §4). */
export const RETRYABLE_HTTP_STATUSES: ReadonlySet<number> = new Set([404, 408, 413, 500, 503, 504]);

/** Waits `ms` milliseconds (injected; tests pass a fake that only advances a clock). */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry `n` (1-based). */
export function backOffDelay(policy: RetryPolicy, n: number): number {
  return Math.min(policy.initialBackOffMs * 2 ** (n - 1), policy.maxBackOffMs);
}

/** Options of {@link sendWithRetry}. */
export interface SendWithRetryOptions {
  readonly policy?: RetryPolicy;
  readonly sleep?: Sleep;
  /** Told before each wait (for logs and progress). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/**
 * Sends a request, retrying transient failures. Returns the first 2xx response; throws a
 * {@link TransportError} for a non-retryable HTTP status at once, and for a retryable failure
 * once the retries are spent.
 */
export async function sendWithRetry(transport: DmTransport, request: TransportRequest, options: SendWithRetryOptions = {}): Promise<TransportResponse> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    let failure: TransportError;
    try {
      const res = await transport.send(request);
      if (res.status >= 200 && res.status < 300) return res;
      failure = new TransportError(ErrorCode.ERR_TRANSPORT_HTTP_STATUS, `server answered HTTP ${res.status}`, { status: res.status });
      if (!RETRYABLE_HTTP_STATUSES.has(res.status)) throw failure;
    } catch (err) {
      if (err instanceof TransportError) {
        if (err.status !== undefined && !RETRYABLE_HTTP_STATUSES.has(err.status)) throw err;
        failure = err;
      } else {
        failure = new TransportError(ErrorCode.ERR_TRANSPORT_UNREACHABLE, `cannot reach ${request.url}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (attempt >= policy.retries) {
      const tries = attempt + 1;
      throw new TransportError(failure.code, `${failure.message} (gave up after ${tries} attempt${tries === 1 ? '' : 's'})`, {
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        cause: failure,
      });
    }
    const delayMs = backOffDelay(policy, attempt + 1);
    options.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure.message });
    await sleep(delayMs);
  }
}
