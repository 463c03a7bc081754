/** Runs `omadm serve` as a child process (to kill it with SIGKILL and restart it on the same DB). */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { signalAndWait, spawnListening } from './child-server.js';
import { CLI_ENTRY } from './cli-process.js';

/** A server child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** Everything the process printed on stdout so far. */
  stdout(): string;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
}

/** Starts `serve --port 0 --db DB [args]` and waits until it listens. */
export async function startServerProcess(db: string, args: readonly string[] = []): Promise<ServerProcess> {
  const { child, url, stdout } = await spawnListening(['--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--db', db, '--log-level', 'warn', ...args], 20_000);
  const info = JSON.parse(readFileSync(`${db}.server.json`, 'utf8')) as { token: string };
  return {
    child, url, token: info.token, stdout,
    kill: () => signalAndWait(child, 'SIGKILL'),
  };
}
