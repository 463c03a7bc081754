/** Runs fumo-server-entry.ts as a child process, to kill it with SIGKILL and restart it on the same database and port. */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { signalAndWait, spawnListening } from './child-server.js';

const ENTRY = fileURLToPath(new URL('./fumo-server-entry.ts', import.meta.url));

/** A FUMO server child process. */
export interface FumoServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (the restarted server must listen on the same one). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Starts the server and waits until it listens. */
export async function startFumoServerProcess(o: { db: string; port: number; gatewayUrl: string; tickMs?: number; execArgv?: readonly string[] }): Promise<FumoServerProcess> {
  const { child, url } = await spawnListening([
    ...(o.execArgv ?? []), '--import', 'tsx', ENTRY, '--db', o.db, '--port', String(o.port), '--gateway', o.gatewayUrl, '--tick', String(o.tickMs ?? 200),
  ], 30_000);
  return { child, url, kill: () => signalAndWait(child, 'SIGKILL'), stop: () => signalAndWait(child, 'SIGTERM') };
}
