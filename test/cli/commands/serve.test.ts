/** `omadm serve` as a user runs it: what it prints, and the dashboard it points to. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { until } from '../../helpers/until.js';

describe('omadm serve', () => {
  let dir: string;
  let p: ServerProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-serve-'));
    p = await startServerProcess(join(dir, 'omadm.db'));
  });
  after(async () => {
    await p.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the admin token once and where the dashboard is, which serves the page and accepts that token', async () => {
    const line = await until(() => /dashboard: (\S+) \(sign in with the admin API token, kept in (\S+)\)/.exec(p.stdout()), 'the dashboard line', 10_000);
    assert.equal(line[1], `${p.url}/ui/`);
    assert.equal(line[2], join(dir, 'omadm.db.server.json'));
    assert.match(p.stdout(), new RegExp(`admin API token \\(shown once; saved to [^)]+\\): ${p.token}`));
    const page = await fetch(line[1] ?? '');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>omadm/);
    const api = await fetch(`${p.url}/api/devices`, { headers: { authorization: `Bearer ${p.token}` } });
    assert.equal(api.status, 200);
  });
});
