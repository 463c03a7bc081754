import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { DeviceDto, EventDto, FanOutDto, JobDto, JobResultsDto, PageDto, TreeNodeDto, WakeDto } from '../../../src/server/api/dto.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describe('REST API', () => {
  let t: TestServer;
  const call = async <T>(method: string, path: string, body?: unknown, token = t.token): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${t.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('refuses requests without a valid bearer token with 401 and a JSON error', async () => {
    const none = await fetch(`${t.url}/api/devices`);
    assert.equal(none.status, 401);
    assert.deepEqual(((await none.json()) as { error: { code: string } }).error.code, 'ERR_API_UNAUTHORIZED');
    const wrong = await call('GET', '/api/devices', undefined, 'omadm_nope');
    assert.equal(wrong.status, 401);
  });

  it('serves health, the OpenAPI document and metrics without a token', async () => {
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/api/devices/{id}/tree']);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /omadm_sessions_active/);
    assert.match(metrics, /omadm_jobs\{state="queued"\}/);
  });

  it('creates, gets, lists with cursor pagination and deletes devices', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await call<DeviceDto>('POST', '/api/devices', { id: `page-${i}`, client: { username: `u${i}`, password: 'p' }, groups: ['fleet'] });
      assert.equal(r.status, 201);
    }
    const dup = await call<{ error: { code: string } }>('POST', '/api/devices', { id: 'page-0' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'ERR_REGISTRY_DEVICE_EXISTS');
    const bad = await call<{ error: { code: string } }>('POST', '/api/devices', { id: '' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'ERR_API_VALIDATION');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<PageDto<DeviceDto>>('GET', `/api/devices?group=fleet&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((d) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal((await call<DeviceDto>('GET', '/api/devices/page-3')).body.id, 'page-3');
    assert.equal((await call('DELETE', '/api/devices/page-4')).status, 204);
    const gone = await call<{ error: { code: string } }>('GET', '/api/devices/page-4');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'ERR_REGISTRY_DEVICE_NOT_FOUND');
  });

  it('queues jobs, and a device session fills in statuses, results and the tree cache', async () => {
    await call('POST', '/api/devices', { id: 'api-dev', client: { username: 'api-dev', password: 'pw' }, server: { serverId: 'omadm', serverPassword: 'spw' } });
    const get = await call<JobDto>('POST', '/api/jobs', { deviceId: 'api-dev', command: { kind: 'Get', uris: ['./DevDetail/SwV'] } });
    assert.equal(get.status, 201);
    assert.equal(get.body.state, 'queued');
    const invalid = await call<{ error: { code: string } }>('POST', '/api/jobs', { deviceId: 'api-dev', command: { kind: 'Get', uris: [] } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'ERR_QUEUE_COMMAND_INVALID');
    const cancelMe = await call<JobDto>('POST', '/api/jobs', { deviceId: 'api-dev', command: { kind: 'Delete', uris: ['./X'] }, priority: -5 });
    const cancelled = await call<JobDto>('POST', `/api/jobs/${cancelMe.body.id}/cancel`);
    assert.equal(cancelled.body.state, 'cancelled');
    assert.equal((await call('POST', `/api/jobs/${cancelMe.body.id}/cancel`)).status, 409);
    const dev = new TestDevice({ url: t.dmUrl, devId: 'api-dev', auth: 'md5', password: 'pw', serverId: 'omadm', serverPassword: 'spw' });
    dev.tree.set('./DevDetail/SwV', { data: '2.0' });
    await dev.runSession();
    const res = await call<JobResultsDto>('GET', `/api/jobs/${get.body.id}/results`);
    assert.equal(res.body.state, 'done');
    assert.equal(res.body.results[0]?.data, '2.0');
    const tree = await call<PageDto<TreeNodeDto>>('GET', '/api/devices/api-dev/tree?prefix=./DevDetail');
    assert.deepEqual(tree.body.items.map((n) => n.uri), ['./DevDetail/SwV']);
    const list = await call<PageDto<JobDto>>('GET', '/api/jobs?deviceId=api-dev&state=done');
    assert.deepEqual(list.body.items.map((j) => j.id), [get.body.id]);
    assert.equal((await call('GET', '/api/jobs/999999')).status, 404);
  });

  it('fans a job out to every member of a group', async () => {
    const fan = await call<FanOutDto>('POST', '/api/jobs', { group: 'fleet', command: { kind: 'Replace', items: [{ uri: './A', data: '1' }] } });
    assert.equal(fan.status, 201);
    assert.equal(fan.body.jobs.length, 4);
    const list = await call<PageDto<JobDto>>('GET', `/api/jobs?fanOutId=${fan.body.fanOutId}`);
    assert.equal(list.body.items.length, 4);
    assert.equal((await call('POST', '/api/jobs', { deviceId: 'x', group: 'y', command: { kind: 'Get', uris: ['./A'] } })).status, 400);
  });

  it('lists events and streams new ones as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.url}/api/events/stream?types=device.registered&access_token=${t.token}`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await call('POST', '/api/devices', { id: 'sse-dev' });
    let text = '';
    while (!text.includes('sse-dev')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    assert.match(text, /event: device\.registered\n/);
    const data = JSON.parse(/data: (.*)\n/.exec(text)?.[1] ?? '{}') as EventDto;
    assert.equal(data.deviceId, 'sse-dev');
    const list = await call<PageDto<EventDto>>('GET', '/api/events?type=device.registered&deviceId=sse-dev');
    assert.equal(list.body.items.length, 1);
  });

  it('wakes a device with a Package 0 over UDP', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const port = socket.address().port;
    const got = new Promise<Buffer>((r) => socket.once('message', (m) => r(m)));
    await call('POST', '/api/devices', { id: 'wake-dev', server: { serverId: 'omadm', serverPassword: 'spw' }, pushAddress: { type: 'udp', host: '127.0.0.1', port } });
    const r = await call<WakeDto>('POST', '/api/devices/wake-dev/wake');
    assert.equal(r.status, 202);
    assert.equal(r.body.transport, 'udp');
    assert.ok((await got).byteLength > 24);
    socket.close();
    const noAddr = await call<{ error: { code: string } }>('POST', '/api/devices/page-0/wake');
    assert.equal(noAddr.status, 409);
  });
});
