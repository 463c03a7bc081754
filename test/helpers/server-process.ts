/** Runs `omadm serve` as a child process (to kill it with SIGKILL and restart it on the same DB). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./serve-entry.ts', import.meta.url));

/** A server child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
}

/** Starts `serve --port 0 --db DB [args]` and waits until it listens. */
export async function startServerProcess(db: string, args: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--port', '0', '--db', db, '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
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
  const info = JSON.parse(readFileSync(`${db}.server.json`, 'utf8')) as { token: string };
  return {
    child, url, token: info.token,
    kill: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
