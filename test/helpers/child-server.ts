/** Spawning a server as a child process (so tests can SIGKILL it) and waiting until it listens. */
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `node <args>`, resolves with the URL once stdout says "listening on URL"; `stdout()` is all it printed so far. */
export async function spawnListening(args: readonly string[], timeoutMs: number): Promise<{ child: ChildProcess; url: string; stdout(): string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), timeoutMs);
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
  return { child, url, stdout: () => out };
}

/** Sends `signal` and waits for the exit (at once if the child is gone already). */
export function signalAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
