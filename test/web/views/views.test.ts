/**
 * The dashboard's views rendered into a real DOM (happy-dom) against a real server: what an
 * operator sees and what the buttons do. The live stream is fed by the test (`onEvent`).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Window } from 'happy-dom';
import type { EventDto } from '../../../src/server/api/dto.js';
import { deviceId } from '../../../src/server/store/store.js';
import { ApiClient } from '../../../src/web/api-client.js';
import { campaignsView, campaignView } from '../../../src/web/views/campaigns-view.js';
import { deviceView, formCommand } from '../../../src/web/views/device-view.js';
import { devicesView } from '../../../src/web/views/devices-view.js';
import { eventsView } from '../../../src/web/views/events-view.js';
import { jobsView } from '../../../src/web/views/jobs-view.js';
import type { ViewContext } from '../../../src/web/views/view.js';
import { addDevice, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { until } from '../../helpers/until.js';

const HOSTILE = '<img src=x onerror="globalThis.pwned=1">';


describe('dashboard views', () => {
  let ts: TestServer;
  let win: Window;
  let ctx: ViewContext & { readonly notes: { message: string; kind: string }[]; emit(e: EventDto): void };

  before(async () => {
    ts = await startTestServer();
    await addDevice(ts.server, { id: 'IMEI:1' });
    await addDevice(ts.server, { id: 'IMEI:2' });
    await ts.server.store.devices.mergeReported(deviceId('IMEI:1'), { devInfo: { man: HOSTILE, mod: 'Bench' }, protocolVersion: '1.2' }, Date.now());
    win = new Window({ url: 'http://dashboard.test/ui/' });
    (globalThis as { document?: unknown }).document = win.document;
  });
  after(async () => {
    delete (globalThis as { document?: unknown }).document;
    await win.happyDOM.close();
    await ts.close();
  });
  let timers: ReturnType<typeof setInterval>[] = [];
  afterEach(() => {
    for (const t of timers) clearInterval(t);
    timers = [];
  });
  beforeEach(() => {
    const listeners: ((e: EventDto) => void)[] = [];
    const notes: { message: string; kind: string }[] = [];
    ctx = {
      api: new ApiClient(ts.url, ts.token),
      notes,
      notify: (message, kind = 'error') => void notes.push({ message, kind }),
      fail: (err) => void notes.push({ message: err instanceof Error ? err.message : String(err), kind: 'error' }),
      onEvent: (l) => void listeners.push(l),
      every: (ms, fn) => void timers.push(setInterval(fn, ms)),
      emit: (e) => listeners.forEach((l) => l(e)),
    };
  });

  it('lists devices with links to their pages, showing device-reported text as text', async () => {
    const view = devicesView(ctx, {});
    const links = await until(() => view.querySelectorAll('tbody a').length === 2 && [...view.querySelectorAll('tbody a')], 'two device links');
    assert.deepEqual(links.map((a) => a.getAttribute('href')), ['#/devices/IMEI%3A1', '#/devices/IMEI%3A2']);
    assert.equal(view.querySelector('img'), null);
    assert.match(view.textContent ?? '', /<img src=x onerror=/);
    assert.equal((globalThis as { pwned?: number }).pwned, undefined);
  });

  it('queues the command the form describes', async () => {
    const view = deviceView(ctx, 'IMEI:2');
    await until(() => view.querySelector('dl.facts'), 'the device facts');
    const form = view.querySelector('form') as unknown as HTMLFormElement;
    (form.querySelector('select') as unknown as HTMLSelectElement).value = 'Replace';
    const [uri, value] = [...form.querySelectorAll('input[type=text]')] as unknown as HTMLInputElement[];
    (uri as HTMLInputElement).value = './Vendor/Acme/Timeout';
    (value as HTMLInputElement).value = '30';
    (form.querySelectorAll('select')[1] as unknown as HTMLSelectElement).value = 'int';
    const wake = form.querySelector('#wake') as unknown as HTMLInputElement;
    assert.deepEqual([wake.disabled, wake.checked], [true, false], 'no push address: nothing to wake');
    form.dispatchEvent(new win.Event('submit', { cancelable: true }) as unknown as Event);
    await until(() => ctx.notes.find((n) => n.kind === 'ok'), 'a confirmation');
    const jobs = (await ctx.api.jobs({ deviceId: 'IMEI:2' })).items;
    assert.deepEqual(jobs.map((j) => j.command), [{ kind: 'Replace', items: [{ uri: './Vendor/Acme/Timeout', data: '30', format: 'int' }] }]);
    await until(() => /Replace \.\/Vendor\/Acme\/Timeout = 30/.test(view.textContent ?? ''), 'the queued job in the job table');
  });

  it('says what is missing instead of queuing an incomplete command', async () => {
    assert.throws(() => formCommand('Get', '  ', '', 'chr'), /node URI is needed/);
    assert.deepEqual(formCommand('Exec', './FUMO/Update', '', 'chr'), { kind: 'Exec', item: { uri: './FUMO/Update' } });
    const view = deviceView(ctx, 'IMEI:1');
    await until(() => view.querySelector('dl.facts'), 'the device facts');
    view.querySelector('form')?.dispatchEvent(new win.Event('submit', { cancelable: true }) as unknown as Event);
    await until(() => ctx.notes.find((n) => n.kind === 'error' && /node URI/.test(n.message)), 'an error');
    assert.equal((await ctx.api.jobs({ deviceId: 'IMEI:1' })).items.length, 0);
  });

  it('cancels a queued job from the job list', async () => {
    const job = await ctx.api.createJob({ deviceId: 'IMEI:1', command: { kind: 'Get', uris: ['./DevDetail/FwV'] } });
    assert.ok('id' in job);
    const view = jobsView(ctx, { state: 'queued' });
    const row = (): Element | undefined => [...view.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('td')?.textContent === job.id);
    const button = await until(() => row()?.querySelector('button'), 'a Cancel button');
    (button as unknown as HTMLButtonElement).click();
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== 'cancelled'; i++) {
      await sleep(10);
      state = (await ctx.api.jobs({ deviceId: 'IMEI:1' })).items.find((j) => j.id === job.id)?.state;
    }
    assert.equal(state, 'cancelled');
    await until(() => row() === undefined, 'the queued list without the cancelled job');
  });

  it('puts live events at the top of the event log', async () => {
    const view = eventsView(ctx, {});
    await until(() => view.querySelector('tbody'), 'the event table');
    ctx.emit({ id: '999999', at: new Date().toISOString(), type: 'alert', deviceId: 'IMEI:2', code: 1226 });
    const first = await until(() => view.querySelector('tbody tr')?.textContent?.includes('code=1226') && view.querySelector('tbody tr'), 'the live event');
    assert.match(first.textContent ?? '', /IMEI:2/);
  });

  it('lists FUMO campaigns and offers the actions their state allows', async () => {
    const upload = await fetch(`${ts.url}/api/firmware?name=Image&version=2.0`, {
      method: 'POST', headers: { authorization: `Bearer ${ts.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array([1, 2, 3]),
    });
    assert.equal(upload.status, 201);
    const { id: packageId } = (await upload.json()) as { id: string };
    const created = await fetch(`${ts.url}/api/campaigns`, {
      method: 'POST', headers: { authorization: `Bearer ${ts.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Spring <b>update</b>', packageId }),
    });
    const campaign = (await created.json()) as { id: string };

    const list = campaignsView(ctx);
    const link = await until(() => list.querySelector('tbody a'), 'the campaign link');
    assert.equal(link.textContent, 'Spring <b>update</b>');
    assert.equal(link.getAttribute('href'), `#/campaigns/${encodeURIComponent(campaign.id)}`);

    const view = campaignView(ctx, campaign.id);
    const labels = (): string[] => [...view.querySelectorAll('.toolbar button')].map((b) => b.textContent ?? '');
    await until(() => labels().length > 0, 'the actions');
    assert.deepEqual(labels(), ['Start', 'Cancel']);
    ([...view.querySelectorAll('.toolbar button')].find((b) => b.textContent === 'Cancel') as unknown as HTMLButtonElement).click();
    await until(() => ctx.notes.find((n) => n.message === 'Campaign cancelled.'), 'the confirmation');
    await until(() => labels().length === 0 && /cancelled/.test(view.querySelector('h2')?.textContent ?? ''), 'the cancelled campaign');
  });

  it('offers waking only for a device with a push address', async () => {
    await ts.server.registry.register({ id: deviceId('IMEI:udp'), pushAddress: { type: 'udp', host: '127.0.0.1', port: 9 } });
    const view = deviceView(ctx, 'IMEI:udp');
    await until(() => view.querySelector('dl.facts'), 'the device facts');
    const wake = view.querySelector('#wake') as unknown as HTMLInputElement;
    assert.deepEqual([wake.disabled, wake.checked], [false, true]);
    assert.equal((view.querySelector('h2 button') as unknown as HTMLButtonElement).disabled, false);
  });
});
