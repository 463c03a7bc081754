/**
 * Drives one {@link DmClientSession} over a transport: POST each message (retrying transient
 * failures with back-off and resending the same message, reference §4), feed the reply back, and
 * stop when the engine says the session is over.
 */
import { HMAC_HEADER_NAME } from '../../core/auth/hmac-md5.js';
import { ErrorCode } from '../../core/errors.js';
import type { DmClientSession, OutgoingMessage } from '../session/dm-session.js';
import type { SessionOutcome } from '../session/session-types.js';
import { sendWithRetry, type RetryPolicy, type Sleep } from '../transport/retry.js';
import { TransportError, type DmTransport } from '../transport/transport.js';

/** Options of {@link runSession}. */
export interface RunSessionOptions {
  readonly transport: DmTransport;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Safety stop against a server that never ends the session (default 1000 messages). */
  readonly maxMessages?: number;
}

/** How a run ended: the engine's outcome, or the transport failure that cut it short. */
export type RunResult =
  | { readonly kind: 'finished'; readonly outcome: SessionOutcome }
  | { readonly kind: 'transport-failed'; readonly error: TransportError; readonly messagesSent: number };

/** Runs the session to its end. Never throws for network or server failures. */
export async function runSession(session: DmClientSession, options: RunSessionOptions): Promise<RunResult> {
  const max = options.maxMessages ?? 1000;
  let out: OutgoingMessage | undefined = session.start();
  let sent = 0;
  while (out !== undefined) {
    if (sent >= max) {
      return { kind: 'transport-failed', error: new TransportError(ErrorCode.ERR_SESSION_FAILED, `session did not end after ${max} messages`), messagesSent: sent };
    }
    let res;
    try {
      res = await sendWithRetry(options.transport, { url: out.url, body: out.body, contentType: out.contentType, headers: out.headers }, {
        ...(options.retry !== undefined ? { policy: options.retry } : {}),
        ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
        ...(options.onRetry !== undefined ? { onRetry: options.onRetry } : {}),
      });
    } catch (err) {
      const error = err instanceof TransportError ? err : new TransportError(ErrorCode.ERR_TRANSPORT_UNREACHABLE, (err as Error).message, { cause: err });
      return { kind: 'transport-failed', error, messagesSent: sent };
    }
    sent++;
    const hmac = res.headers[HMAC_HEADER_NAME];
    out = await session.receive({
      body: res.body,
      ...(res.contentType !== undefined ? { contentType: res.contentType } : {}),
      ...(hmac !== undefined ? { hmac } : {}),
    });
  }
  const outcome = session.outcome;
  if (outcome === undefined) throw new TransportError(ErrorCode.ERR_SESSION_STATE, 'session stopped without an outcome');
  return { kind: 'finished', outcome };
}
