/** Polling for tests that watch something settle on its own (a view rendering, a file growing). */
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves with the first truthy value of `check`, polled every 10 ms; fails naming `what` after `ms`. */
export async function until<T>(check: () => T | null | undefined | false, what: string, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
