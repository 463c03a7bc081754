import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoute, routeHash, type Route } from '../../src/web/router.js';

describe('dashboard routes', () => {
  it('parses each page, with its query', () => {
    assert.deepEqual(parseRoute('#/devices?group=pilot'), { page: 'devices', params: { group: 'pilot' } });
    assert.deepEqual(parseRoute('#/devices/IMEI%3A3569%2F1'), { page: 'device', deviceId: 'IMEI:3569/1', params: {} });
    assert.deepEqual(parseRoute('#/jobs?state=queued'), { page: 'jobs', params: { state: 'queued' } });
    assert.deepEqual(parseRoute('#/events'), { page: 'events', params: {} });
    assert.deepEqual(parseRoute('#/campaigns'), { page: 'campaigns', params: {} });
    assert.deepEqual(parseRoute('#/campaigns/cmp-1'), { page: 'campaign', campaignId: 'cmp-1', params: {} });
  });

  it('falls back to the device list for empty, unknown or undecodable hashes', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#/jobs/1/2', '#/devices/%E0%A4%A']) assert.equal(parseRoute(hash).page, 'devices', hash);
  });

  it('builds hashes that parse back to the same route', () => {
    const routes: Route[] = [
      { page: 'devices', params: {} },
      { page: 'device', deviceId: 'urn:uuid:1 2?x#y', params: { tab: 'jobs' } },
      { page: 'jobs', params: { state: 'done' } },
      { page: 'events', params: { type: 'job.state' } },
      { page: 'campaigns', params: {} },
      { page: 'campaign', campaignId: 'cmp 7/x', params: {} },
    ];
    for (const r of routes) assert.deepEqual(parseRoute(routeHash(r)), r);
  });
});
