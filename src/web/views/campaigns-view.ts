/**
 * FUMO campaigns: the list, and one campaign's progress (devices by state, result codes, waves,
 * the devices themselves) with the actions its state allows. Campaign progress is polled every
 * few seconds while the page is open (its events have their own stream per campaign).
 */
import type { CampaignStatusDto } from '../../server/api/dto.js';
import { h, pill, replaceChildren, table } from '../dom.js';
import { campaignActions, formatTime } from '../format.js';
import { routeHash } from '../router.js';
import { pagedList, type ViewContext } from './view.js';

const POLL_MS = 3000;

export function campaignsView(ctx: ViewContext): HTMLElement {
  const list = pagedList(ctx, (cursor) => ctx.api.campaigns({ limit: 50, cursor }), (campaigns) => table(
    ['Campaign', 'Target version', 'State', 'Wave', 'Created', 'Started', 'Finished'],
    campaigns.map((c) => [
      h('a', { href: routeHash({ page: 'campaign', campaignId: c.id, params: {} }) }, c.name),
      c.targetVersion,
      pill(c.state, c.state),
      c.waveCount > 0 ? `${Math.min(c.currentWave + 1, c.waveCount)} of ${c.waveCount}` : '',
      formatTime(c.createdAt), formatTime(c.startedAt), formatTime(c.finishedAt),
    ]),
    'No campaigns yet: upload a package and create one with `omadm firmware upload` and `omadm campaign create`.',
  ));
  ctx.every(POLL_MS, list.reload);
  return h('section', {}, h('h2', {}, 'FUMO campaigns'), list.element);
}

function progress(s: CampaignStatusDto): HTMLElement {
  const counts = Object.entries(s.byState).filter(([, n]) => n > 0);
  return h('div', {},
    h('p', {}, h('progress', { max: 100, value: Math.round(s.percentComplete) }), ` ${s.percentComplete.toFixed(0)} % of ${s.total} devices finished, ${s.inFlight} in flight`),
    s.campaign.pauseReason ? h('p', { class: 'banner error' }, `Paused: ${s.campaign.pauseReason}`) : null,
    h('h3', {}, 'Devices by state'),
    table(['State', 'Devices'], counts.map(([state, n]) => [pill(state, state), n]), 'No devices selected.'),
    h('h3', {}, 'Results'),
    table(['Result code', 'Meaning', 'Devices'], s.byResult.map((r) => [r.code, r.meaning, r.count]), 'No results yet.'),
    h('h3', {}, 'Waves'),
    table(['Wave', 'Devices', 'Finished', 'Succeeded', 'Failed'], s.waves.map((w) => [w.wave + 1, w.total, w.finished, w.succeeded, w.failed])));
}

export function campaignView(ctx: ViewContext, campaignId: string): HTMLElement {
  const title = h('h2', {}, 'Campaign');
  const actions = h('div', { class: 'toolbar' });
  const status = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const devices = pagedList(ctx, (cursor) => ctx.api.campaignDevices(campaignId, { limit: 100, cursor }), (items) => table(
    ['Device', 'Wave', 'State', 'Step', 'Attempt', 'Result', 'Firmware before → after', 'Updated'],
    items.map((d) => [
      h('a', { href: routeHash({ page: 'device', deviceId: d.deviceId, params: {} }) }, d.deviceId),
      d.wave + 1, pill(d.state, d.state), d.step ?? '', d.attempt,
      d.resultCode !== undefined ? `${d.resultCode} ${d.resultMeaning ?? ''}` : (d.detail ?? ''),
      `${d.fwBefore ?? '?'} → ${d.fwAfter ?? ''}`, formatTime(d.updatedAt),
    ]),
    'No devices.',
  ));

  const load = async (): Promise<void> => {
    try {
      const s = await ctx.api.campaignStatus(campaignId);
      replaceChildren(title, s.campaign.name, ' ', pill(s.campaign.state, s.campaign.state));
      replaceChildren(actions, `Package ${s.campaign.packageId} → version ${s.campaign.targetVersion}, flow ${s.campaign.flow}`,
        ...campaignActions(s.campaign.state).map((action) => h('button', {
          type: 'button',
          onclick: () => void ctx.api.campaignAction(campaignId, action).then(() => {
            ctx.notify(`Campaign ${action === 'cancel' ? 'cancelled' : action === 'start' ? 'started' : `${action}d`}.`, 'ok');
            void load();
          }, (err: unknown) => ctx.fail(err)),
        }, action[0]?.toUpperCase() + action.slice(1))));
      replaceChildren(status, progress(s));
    } catch (err) {
      ctx.fail(err);
    }
  };
  ctx.every(POLL_MS, () => {
    void load();
    devices.reload();
  });
  void load();
  return h('section', {}, title, actions, status, h('h3', {}, 'Devices'), devices.element);
}
