/** Serving the dashboard: files, headers, redirects, and what happens when it is not built or disabled. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { builtDashboardDir, registerDashboard } from '../../../src/server/http/dashboard.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describe('dashboard routes', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(() => ts.close());

  it('redirects / and /ui to /ui/, which serves the page without a token', async () => {
    for (const path of ['/', '/ui']) {
      const res = await fetch(`${ts.url}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 302, path);
      assert.equal(res.headers.get('location'), '/ui/');
    }
    const page = await fetch(`${ts.url}/ui/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<script type="module" src="main.js"><\/script>/);
  });

  it('sends a strict Content-Security-Policy and no-sniff with every file', async () => {
    for (const path of ['/ui/', '/ui/main.js', '/ui/style.css']) {
      const res = await fetch(`${ts.url}${path}`);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
    }
  });

  it('serves every module the page imports, as JavaScript', async () => {
    const seen = new Set<string>();
    const pending = ['main.js'];
    while (pending.length > 0) {
      const path = pending.pop() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(`${ts.url}/ui/${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /javascript/, path);
      const source = await res.text();
      for (const [, spec] of source.matchAll(/^import [^'"]*['"]([^'"]+)['"]/gm)) {
        assert.ok(spec?.startsWith('.'), `${path} imports ${spec}: browsers need relative module paths`);
        pending.push(new URL(spec ?? '', `http://x/${path}`).pathname.slice(1));
      }
    }
    assert.ok(seen.has('views/device-view.js') && seen.has('api-client.js'), [...seen].join(' '));
  });

  it('answers unknown files with 404 and never serves outside its folder', async () => {
    assert.equal((await fetch(`${ts.url}/ui/nope.js`)).status, 404);
    assert.notEqual((await fetch(`${ts.url}/ui/%2e%2e/package.json`)).status, 200);
  });

  it('is absent when the dashboard or the API is disabled', async () => {
    for (const api of [{ dashboard: false }, { enabled: false }]) {
      const off = await startTestServer({ api });
      try {
        assert.notEqual((await fetch(`${off.url}/ui/`)).status, 200, JSON.stringify(api));
      } finally {
        await off.close();
      }
    }
  });
});

describe('dashboard not built', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-web-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds dist/web beside the package.json above the server code, only once built', () => {
    mkdirSync(join(dir, 'src', 'server', 'http'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    const from = join(dir, 'src', 'server', 'http', 'dashboard.js');
    assert.equal(builtDashboardDir(from), undefined);
    mkdirSync(join(dir, 'dist', 'web'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'web', 'index.html'), '<!doctype html>');
    assert.equal(builtDashboardDir(from), join(dir, 'dist', 'web'));
  });

  it('answers 503 with how to build it', async () => {
    const app = Fastify();
    await registerDashboard(app, { dir: undefined });
    const res = await app.inject({ method: 'GET', url: '/ui/' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    assert.equal((await app.inject({ method: 'GET', url: '/' })).headers.location, '/ui/');
    await app.close();
  });
});
