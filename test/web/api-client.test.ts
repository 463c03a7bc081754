/** The dashboard's API client against a real server over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, ApiError } from '../../src/web/api-client.js';
import { addDevice, startTestServer, type TestServer } from '../helpers/test-server.js';

describe('dashboard ApiClient', () => {
  let ts: TestServer;
  let api: ApiClient;
  before(async () => {
    ts = await startTestServer();
    await addDevice(ts.server, { id: 'IMEI:1' });
    await addDevice(ts.server, { id: 'IMEI:2' });
    api = new ApiClient(`${ts.url}/`, ts.token);
  });
  after(() => ts.close());

  it('lists devices page by page', async () => {
    const first = await api.devices({ limit: 1 });
    assert.deepEqual(first.items.map((d) => d.id), ['IMEI:1']);
    assert.ok(first.nextCursor);
    const second = await api.devices({ limit: 1, cursor: first.nextCursor });
    assert.deepEqual(second.items.map((d) => d.id), ['IMEI:2']);
    assert.equal((await api.device('IMEI:2')).id, 'IMEI:2');
  });

  it('queues, lists and cancels a job', async () => {
    const job = await api.createJob({ deviceId: 'IMEI:1', command: { kind: 'Get', uris: ['./DevDetail/FwV'] } });
    assert.ok('id' in job);
    assert.deepEqual((await api.jobs({ deviceId: 'IMEI:1', state: 'queued' })).items.map((j) => j.id), [job.id]);
    assert.equal((await api.cancelJob(job.id)).state, 'cancelled');
    const events = await api.events({ deviceId: 'IMEI:1', type: 'job.state', order: 'desc' });
    assert.equal(events.items[0]?.['to'], 'cancelled');
  });

  it("turns the server's error body into an ApiError", async () => {
    await assert.rejects(api.device('IMEI:none'), (err: unknown) => err instanceof ApiError && err.status === 404 && err.code === 'ERR_REGISTRY_DEVICE_NOT_FOUND');
    await assert.rejects(new ApiClient(ts.url, 'omadm_wrong').devices(), (err: unknown) => err instanceof ApiError && err.status === 401 && err.code === 'ERR_API_UNAUTHORIZED');
    await assert.rejects(api.createJob({ deviceId: 'IMEI:1', command: { kind: 'Get', uris: [] } }), (err: unknown) => err instanceof ApiError && err.status === 400);
  });

  it('reports an unreachable server as ERR_NETWORK', async () => {
    await assert.rejects(new ApiClient('http://127.0.0.1:1', ts.token).health(), (err: unknown) => err instanceof ApiError && err.status === 0 && err.code === 'ERR_NETWORK');
  });

  it('builds an event stream URL the server accepts (token in the query)', async () => {
    const url = api.eventStreamUrl({ deviceId: 'IMEI:1' });
    assert.match(url, /access_token=/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    assert.match(Buffer.from(value ?? new Uint8Array()).toString(), /^retry: 5000/);
    await reader.cancel();
  });
});
