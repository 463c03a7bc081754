/** Runs the real `omadm` entry point as a child process (the test runner owns this process's stdout). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI entry point, run with `node --import tsx CLI_ENTRY ...args`. */
export const CLI_ENTRY = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** What a finished CLI run left behind. */
export interface CliResult {
  /** The exit code; null when a signal (e.g. the timeout) ended the child. */
  readonly code: number | null;
  /** Standard output as bytes (for WBXML and other binary output). */
  readonly stdout: Buffer;
  /** Standard output as UTF-8 text. */
  readonly out: string;
  /** Standard error as UTF-8 text. */
  readonly err: string;
}

export interface RunCliOptions {
  /** Bytes for standard input; without them the child reads an empty input. */
  readonly input?: Uint8Array;
  /** Variables set over the default environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child with SIGTERM after this long. */
  readonly timeoutMs?: number;
}

/**
 * Runs `omadm ...args` and resolves when it has exited and closed its output.
 * OMADM_URL and OMADM_TOKEN are cleared unless `env` sets them, so a developer's own settings never leak in.
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
      env: { ...process.env, OMADM_URL: '', OMADM_TOKEN: '', ...options.env },
      timeout: options.timeoutMs,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(stdout);
      resolve({ code, stdout: bytes, out: bytes.toString('utf8'), err: Buffer.concat(stderr).toString('utf8') });
    });
    // A child that exits without reading its input must not crash the runner with EPIPE: its exit code and stderr tell why.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}
