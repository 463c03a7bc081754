/** Jobs across all devices, newest first, filtered by state; queued ones can be cancelled. */
import type { JobDto } from '../../server/api/dto.js';
import { h, pill, table } from '../dom.js';
import { commandSummary, formatTime, isCancellable, jobOutcome } from '../format.js';
import { routeHash } from '../router.js';
import { debounce, pagedList, type ViewContext } from './view.js';

const STATES = ['', 'queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'] as const;

/** The job table (also used on a device's page). */
export function jobTable(ctx: ViewContext, jobs: readonly JobDto[], opts: { readonly showDevice: boolean; readonly onChange: () => void }): HTMLElement {
  return table(['Job', ...(opts.showDevice ? ['Device'] : []), 'Command', 'State', 'Outcome', 'Updated', ''], jobs.map((j) => [
    j.id,
    ...(opts.showDevice ? [h('a', { href: routeHash({ page: 'device', deviceId: j.deviceId, params: {} }) }, j.deviceId)] : []),
    commandSummary(j.command),
    pill(j.state, j.state),
    jobOutcome(j),
    formatTime(j.updatedAt),
    isCancellable(j)
      ? h('button', {
        type: 'button',
        class: 'small',
        onclick: () => void ctx.api.cancelJob(j.id).then(opts.onChange, (err: unknown) => ctx.fail(err)),
      }, 'Cancel')
      : '',
  ]), 'No jobs.');
}

export function jobsView(ctx: ViewContext, params: Readonly<Record<string, string>>): HTMLElement {
  const state = h('select', { 'aria-label': 'Filter by state' }, ...STATES.map((s) => h('option', { value: s }, s || 'any state')));
  state.value = STATES.includes(params['state'] as (typeof STATES)[number]) ? (params['state'] ?? '') : '';
  const list = pagedList(
    ctx,
    (cursor) => ctx.api.jobs({ order: 'desc', limit: 50, state: state.value || undefined, cursor }),
    (jobs, reload) => jobTable(ctx, jobs, { showDevice: true, onChange: reload }),
    'Older',
  );
  state.addEventListener('change', list.reload);
  const refresh = debounce(list.reload, 1000);
  ctx.onEvent((e) => {
    if (e.type === 'job.state') refresh();
  });
  return h('section', {}, h('h2', {}, 'Jobs'), h('div', { class: 'toolbar' }, state), list.element);
}
