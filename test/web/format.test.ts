import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobDto } from '../../src/server/api/dto.js';
import { EVENT_TYPES as SERVER_EVENT_TYPES } from '../../src/server/api/routes-events.js';
import { EVENT_TYPES, ago, campaignActions, commandSummary, eventDetails, formatTime, isCancellable, jobOutcome } from '../../src/web/format.js';

const job = (over: Partial<JobDto>): JobDto => ({
  id: '1', deviceId: 'd', command: { kind: 'Get', uris: ['./DevDetail/FwV'] }, state: 'queued', priority: 0, statuses: [], results: [], attempts: 0,
  createdAt: '2026-12-07T00:00:00.000Z', updatedAt: '2026-12-07T00:00:00.000Z', ...over,
});

describe('dashboard wording', () => {
  it('summarizes every kind of command on one line', () => {
    assert.equal(commandSummary({ kind: 'Get', uris: ['./A', './B'] }), 'Get ./A, ./B');
    assert.equal(commandSummary({ kind: 'Delete', uris: ['./A'] }), 'Delete ./A');
    assert.equal(commandSummary({ kind: 'Replace', items: [{ uri: './A', data: '1' }, { uri: './B', data: 'AA==', base64: true }] }), 'Replace ./A = 1, ./B = (binary)');
    assert.equal(commandSummary({ kind: 'Add', items: [{ uri: './N', format: 'node' }] }), 'Add ./N');
    assert.equal(commandSummary({ kind: 'Copy', items: [{ source: './A', target: './B' }] }), 'Copy ./A → ./B');
    assert.equal(commandSummary({ kind: 'Exec', item: { uri: './FUMO/Update', data: 'go' } }), 'Exec ./FUMO/Update (go)');
    assert.equal(commandSummary({ kind: 'Alert', code: 1101, text: 'Update now?' }), 'Alert 1101: Update now?');
    assert.equal(commandSummary({ kind: 'Atomic', commands: [{ kind: 'Get', uris: ['./A'] }] }), 'Atomic (1 command)');
    assert.equal(commandSummary({ kind: 'Sequence', commands: [] }), 'Sequence (0 commands)');
  });

  it('shows Results first, then an error, then the Status code', () => {
    assert.equal(jobOutcome(job({ state: 'done', status: 200, results: [{ uri: './DevDetail/FwV', data: '1.2' }] })), './DevDetail/FwV = 1.2');
    assert.equal(jobOutcome(job({ state: 'cancelled', error: 'cancelled by operator' })), 'cancelled by operator');
    assert.equal(jobOutcome(job({ state: 'failed', status: 404 })), 'Status 404');
    assert.equal(jobOutcome(job({})), '');
  });

  it('offers Cancel only for queued jobs', () => {
    assert.equal(isCancellable(job({ state: 'queued' })), true);
    for (const state of ['sent', 'done', 'failed', 'cancelled'] as const) assert.equal(isCancellable(job({ state })), false);
  });

  it("lists an event's own fields", () => {
    assert.equal(eventDetails({ id: '9', at: 'x', type: 'job.state', deviceId: 'd', jobId: '4', from: 'queued', to: 'sent' }), 'jobId=4 from=queued to=sent');
    assert.equal(eventDetails({ id: '9', at: 'x', type: 'alert', deviceId: 'd', code: 1226, items: [{ data: 'x' }] }), 'code=1226 items=[{"data":"x"}]');
  });

  it('formats times and ages', () => {
    const iso = new Date(2026, 11, 7, 3, 4, 5).toISOString();
    assert.equal(formatTime(iso), '2026-12-07 03:04:05');
    assert.equal(formatTime(undefined), '');
    assert.equal(formatTime('garbage'), 'garbage');
    const now = Date.parse('2026-12-07T12:00:00Z');
    assert.equal(ago('2026-12-07T11:59:50Z', now), '10 s ago');
    assert.equal(ago('2026-12-07T11:55:00Z', now), '5 min ago');
    assert.equal(ago('2026-12-07T09:00:00Z', now), '3 h ago');
    assert.equal(ago('2026-12-05T12:00:00Z', now), '2 d ago');
    assert.equal(ago(undefined, now), 'never');
  });

  it("offers a campaign's actions by its state", () => {
    assert.deepEqual(campaignActions('draft'), ['start', 'cancel']);
    assert.deepEqual(campaignActions('running'), ['pause', 'cancel']);
    assert.deepEqual(campaignActions('paused'), ['resume', 'cancel']);
    assert.deepEqual(campaignActions('completed'), []);
    assert.deepEqual(campaignActions('cancelled'), []);
  });

  it('listens for every event type the server streams', () => {
    assert.deepEqual([...EVENT_TYPES].sort(), [...SERVER_EVENT_TYPES].sort());
  });
});
