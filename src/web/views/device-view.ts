/**
 * One device: what it reported, its cached tree (read without waking it), its jobs and events,
 * and a form to queue Get / Replace / Exec / Delete (optionally waking it with a Package 0).
 */
import type { CreateJobDto, DeviceDto, JobCommandDto } from '../../server/api/dto.js';
import { h, replaceChildren, table, type Child } from '../dom.js';
import { ago, formatTime } from '../format.js';
import { eventTable } from './events-view.js';
import { jobTable } from './jobs-view.js';
import { debounce, type ViewContext } from './view.js';

const KINDS = ['Get', 'Replace', 'Exec', 'Delete'] as const;
type Kind = (typeof KINDS)[number];
const FORMATS = ['chr', 'int', 'bool', 'float', 'b64', 'node'] as const;

/** The command the form describes; throws with a message for the operator when incomplete. */
export function formCommand(kind: Kind, uri: string, value: string, format: string): JobCommandDto {
  const u = uri.trim();
  if (!u) throw new Error('a node URI is needed (e.g. ./DevDetail/FwV)');
  switch (kind) {
    case 'Get':
      return { kind: 'Get', uris: [u] };
    case 'Delete':
      return { kind: 'Delete', uris: [u] };
    case 'Replace':
      return { kind: 'Replace', items: [{ uri: u, data: value, format }] };
    case 'Exec':
      return { kind: 'Exec', item: value === '' ? { uri: u } : { uri: u, data: value } };
  }
}

function facts(d: DeviceDto): HTMLElement {
  const rows: [string, Child][] = [
    ['Manufacturer', d.devInfo.man], ['Model', d.devInfo.mod], ['DevId', d.devInfo.devId], ['Language', d.devInfo.lang],
    ['DM version', d.devInfo.dmV ?? d.protocolVersion], ['Encoding', d.encoding], ['Groups', d.groups.join(', ')],
    ['Push address', d.pushAddress ? (d.pushAddress.type === 'udp' ? `udp ${d.pushAddress.host}:${d.pushAddress.port}` : `sms ${d.pushAddress.msisdn}`) : 'none'],
    ['Last session', d.lastSessionAt ? `${formatTime(d.lastSessionAt)} (${ago(d.lastSessionAt, Date.now())}), ${d.lastSessionOutcome ?? ''}` : 'never'],
    ['Registered', formatTime(d.createdAt)],
    ...Object.entries(d.devDetail).map(([k, v]): [string, Child] => [`DevDetail ${k}`, v]),
  ];
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '')]));
}

export function deviceView(ctx: ViewContext, deviceId: string): HTMLElement {
  const info = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const jobs = h('div', {});
  const tree = h('div', {});
  const events = h('div', {});
  const prefix = h('input', { type: 'search', placeholder: './DevDetail', 'aria-label': 'Tree prefix' });

  const loadJobs = async (): Promise<void> => {
    const page = await ctx.api.jobs({ deviceId, order: 'desc', limit: 20 });
    replaceChildren(jobs, jobTable(ctx, page.items, { showDevice: false, onChange: () => void guard(loadJobs) }));
  };
  const loadTree = async (): Promise<void> => {
    const page = await ctx.api.tree(deviceId, { prefix: prefix.value.trim() || undefined, limit: 500 });
    replaceChildren(tree, table(['Node', 'Value', 'Format', 'From', 'When'], page.items.map((n) => [
      h('code', {}, n.uri), n.base64 ? '(binary)' : (n.data ?? ''), n.format ?? '', n.source, formatTime(n.at),
    ]), 'Nothing cached yet: queue a Get to read the device.'));
  };
  const loadEvents = async (): Promise<void> => {
    const page = await ctx.api.events({ deviceId, order: 'desc', limit: 30 });
    replaceChildren(events, eventTable(page.items, false));
  };
  const guard = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      ctx.fail(err);
    }
  };

  // The command form.
  const kind = h('select', { 'aria-label': 'Command' }, ...KINDS.map((k) => h('option', { value: k }, k)));
  const uri = h('input', { type: 'text', placeholder: './DevDetail/FwV', 'aria-label': 'Node URI', size: 40 });
  const value = h('input', { type: 'text', placeholder: 'value', 'aria-label': 'Value' });
  const format = h('select', { 'aria-label': 'Format' }, ...FORMATS.map((f) => h('option', { value: f }, f)));
  const wake = h('input', { type: 'checkbox', checked: true, id: 'wake' });
  const syncForm = (): void => {
    value.hidden = kind.value === 'Get' || kind.value === 'Delete';
    format.hidden = kind.value !== 'Replace';
  };
  kind.addEventListener('change', syncForm);
  syncForm();
  const form = h('form', {
    class: 'toolbar',
    onsubmit: (ev: Event) => {
      ev.preventDefault();
      void guard(async () => {
        const job: CreateJobDto = { deviceId, command: formCommand(kind.value as Kind, uri.value, value.value, format.value), wake: wake.checked };
        await ctx.api.createJob(job);
        ctx.notify(`${kind.value} queued${wake.checked ? ', and the device asked to connect (Package 0)' : ''}.`, 'ok');
        await loadJobs();
      });
    },
  }, kind, uri, value, format, h('label', { for: 'wake' }, wake, ' wake now'), h('button', { type: 'submit' }, 'Queue'));

  const wakeButton = h('button', {
    type: 'button',
    onclick: () => void guard(async () => {
      const w = await ctx.api.wake(deviceId);
      ctx.notify(`Package 0 sent over ${w.transport} (session ${w.dmSessionId.toString(16).toUpperCase()}).`, 'ok');
    }),
  }, 'Wake');
  const loadInfo = async (): Promise<void> => {
    const device = await ctx.api.device(deviceId);
    replaceChildren(info, facts(device));
    // Without a push address there is no Package 0 to send: commands wait for the next check-in.
    const wakeable = device.pushAddress !== undefined;
    for (const el of [wake, wakeButton]) {
      el.disabled = !wakeable;
      el.title = wakeable ? '' : 'No push address: the device gets queued commands at its next check-in.';
    }
    if (!wakeable) wake.checked = false;
  };
  prefix.addEventListener('change', () => void guard(loadTree));

  const loadAll = (): void => void guard(async () => {
    await Promise.all([loadInfo(), loadJobs(), loadTree(), loadEvents()]);
  });
  const refresh = debounce(loadAll, 500);
  ctx.onEvent((e) => {
    if (e.deviceId === deviceId) refresh();
  });
  loadAll();

  return h('section', {},
    h('h2', {}, deviceId, ' ', wakeButton),
    info,
    h('h3', {}, 'Queue a command'), form,
    h('h3', {}, 'Jobs'), jobs,
    h('h3', {}, 'Tree cache'), h('div', { class: 'toolbar' }, prefix), tree,
    h('h3', {}, 'Events'), events);
}
