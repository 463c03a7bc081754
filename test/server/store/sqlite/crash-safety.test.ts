// Crash safety of the SQLite store: a writer killed with SIGKILL loses nothing it acknowledged,
// and the jobs it had sent in a session that never got answered go back to the queue.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CommandQueue } from '../../../../src/server/queue/command-queue.js';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, jobId } from '../../../../src/server/store/store.js';

const child = fileURLToPath(new URL('./children/crash-writer.ts', import.meta.url));

describe('SqliteStore crash safety', () => {
  it('keeps every acknowledged job after SIGKILL and requeues the sent-but-unanswered ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-crash-'));
    const path = join(dir, 'crash.db');
    try {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      const queued = new Set<string>();
      const sent = new Set<string>();
      const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
      const lines = createInterface({ input: proc.stdout });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
      for await (const line of lines) {
        const [what, id] = line.split(' ');
        if (what === 'queued' && id) queued.add(id);
        if (what === 'sent' && id) sent.add(id);
        // Kill while the child is still writing: it never gets to close the database.
        if (queued.size === 300) proc.kill('SIGKILL');
      }
      clearTimeout(timer);
      assert.equal(await exited, 'SIGKILL');
      assert.ok(queued.size >= 300, `child acknowledged ${queued.size} jobs`);

      const store = SqliteStore.open({ path });
      const queue = new CommandQueue({ store });
      for (const id of queued) assert.ok(await store.jobs.get(jobId(id)), `acknowledged job ${id} survived`);
      for (const id of sent) assert.equal((await store.jobs.get(jobId(id)))?.state, 'sent');
      const { sessions, requeued } = await queue.recoverOrphanedSessions({ ownerId: 'restarted' });
      assert.deepEqual(sessions.map((s) => s.id), ['dead-session']);
      const requeuedIds = new Set(requeued.map((j) => j.id as string));
      for (const id of sent) assert.ok(requeuedIds.has(id), `sent job ${id} was requeued`);
      for (const id of sent) assert.equal((await store.jobs.get(jobId(id)))?.state, 'queued');
      assert.equal((await store.jobs.list({ deviceId: deviceId('IMEI:crash'), state: 'sent' })).items.length, 0);
      assert.deepEqual(await store.sessions.list(), []);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
