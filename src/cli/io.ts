/** Small I/O helpers shared by CLI commands: read a file or stdin, report errors as one line. */
import { readFileSync } from 'node:fs';
import { ConfigError, DmError, ErrorCode } from '../core/errors.js';

/** Reads FILE, or standard input when FILE is `-` or missing. */
export function readInput(file: string | undefined): Buffer {
  try {
    return file === undefined || file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read ${file ?? 'standard input'}: ${reason}`);
  }
}

/** Writes bytes or text to standard output. */
export function writeOutput(data: string | Uint8Array): void {
  process.stdout.write(data);
}

/** One line for the user: the message of a DmError, else the error text; never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof DmError) return `${err.message} [${err.code}]`;
  if (err instanceof Error) return err.message;
  return String(err);
}
