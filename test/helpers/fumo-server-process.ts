/** Runs fumo-server-entry.ts as a child process, to kill it with SIGKILL and restart it on the same database and port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

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
  const child = spawn(process.execPath, [
    ...(o.execArgv ?? []), '--import', 'tsx', ENTRY, '--db', o.db, '--port', String(o.port), '--gateway', o.gatewayUrl, '--tick', String(o.tickMs ?? 200),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
  const waitExit = (signal: NodeJS.Signals) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
  return { child, url, kill: () => waitExit('SIGKILL'), stop: () => waitExit('SIGTERM') };
}
