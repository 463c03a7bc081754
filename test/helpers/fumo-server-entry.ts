/**
 * Child-process entry of a DM server with FUMO (for the kill-and-restart test and the campaign
 * benchmark): `fumo-server-entry.ts --db FILE --port N --gateway URL [--tick MS]`. Prints
 * `listening on <url>` once ready; `GET /__test/memory` answers the process's memory figures.
 */
import { readFileSync } from 'node:fs';
import { startFumoServer } from './fumo-server.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const db = arg('db');
const gateway = arg('gateway');
if (db === undefined || gateway === undefined) {
  process.stderr.write('usage: fumo-server-entry --db FILE --port N --gateway URL\n');
  process.exit(2);
}
const srv = await startFumoServer({
  db, gatewayUrl: gateway, port: Number(arg('port') ?? 0), tickIntervalMs: Number(arg('tick') ?? 200),
  ...(arg('log') !== undefined ? { logLevel: arg('log') as string } : {}),
  beforeListen: (app) => {
    app.get('/__test/memory', async () => ({ ...process.memoryUsage(), peakRss: peakRss() }));
  },
});
process.stdout.write(`listening on ${srv.url}\n`);
const stop = (): void => void srv.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/** Peak resident set size in bytes (Linux VmHWM; elsewhere resourceUsage's maxRSS). */
function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
