/** How the dashboard words jobs, events and times: pure, so tested under Node. */
import type { CampaignDto, EventDto, JobCommandDto, JobDto } from '../server/api/dto.js';
import type { CampaignAction } from './api-client.js';

/** One line for a job's command: `Get ./DevDetail/FwV`, `Replace ./A = 1`, `Atomic (2 commands)`. */
export function commandSummary(command: JobCommandDto): string {
  switch (command.kind) {
    case 'Get':
    case 'Delete':
      return `${command.kind} ${command.uris.join(', ')}`;
    case 'Add':
    case 'Replace':
      return `${command.kind} ${command.items.map((i) => (i.data === undefined ? i.uri : `${i.uri} = ${i.base64 ? '(binary)' : i.data}`)).join(', ')}`;
    case 'Copy':
      return `Copy ${command.items.map((i) => `${i.source} → ${i.target}`).join(', ')}`;
    case 'Exec':
      return `Exec ${command.item.uri}${command.item.data !== undefined ? ` (${command.item.data})` : ''}`;
    case 'Alert':
      return `Alert ${command.code}: ${command.text}`;
    case 'Atomic':
    case 'Sequence':
      return `${command.kind} (${command.commands.length} command${command.commands.length === 1 ? '' : 's'})`;
  }
}

/** What a finished job returned: its Results, else its Status code. */
export function jobOutcome(job: JobDto): string {
  if (job.results.length > 0) return job.results.map((r) => `${r.uri} = ${r.base64 ? '(binary)' : (r.data ?? '')}`).join('; ');
  if (job.error !== undefined) return job.error;
  return job.status !== undefined ? `Status ${job.status}` : '';
}

/** Jobs the operator can still cancel. */
export function isCancellable(job: JobDto): boolean {
  return job.state === 'queued';
}

/** Event types the server streams (`event:` of each Server-Sent Event); the same list as the server's. */
export const EVENT_TYPES = [
  'alert', 'session.start', 'session.end', 'auth.failure', 'job.state', 'device.registered', 'notification.sent', 'notification.failed', 'bootstrap.sent',
] as const;

const EVENT_BASE_FIELDS = new Set(['id', 'at', 'type', 'deviceId']);

/** An event's own fields as `key=value` pairs (`from=queued to=sent`), for one table cell. */
export function eventDetails(event: EventDto): string {
  return Object.entries(event)
    .filter(([k]) => !EVENT_BASE_FIELDS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** `2026-12-07 03:04:05` in the browser's time zone; '' for no time. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago` relative to `now` (ms). */
export function ago(iso: string | undefined, now: number): string {
  if (iso === undefined) return 'never';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(s)) return '';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** The actions the server allows on a campaign in `state` (campaign-service.ts). */
export function campaignActions(state: CampaignDto['state']): readonly CampaignAction[] {
  switch (state) {
    case 'draft':
      return ['start', 'cancel'];
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'completed':
    case 'cancelled':
      return [];
  }
}
