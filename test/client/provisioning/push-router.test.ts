import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionReport, StartSessionOptions } from '../../../src/client/agent/device-agent.js';
import { createPushRouter } from '../../../src/client/provisioning/push-router.js';
import { encodeWapPush } from '../../../src/core/notification/wap-push.js';
import { buildSignedCpPush } from '../../../src/core/provisioning/cp-push.js';
import { w7Document } from '../../../src/core/provisioning/w7-build.js';
import { bareTree, sampleW7 } from '../../helpers/cp-device.js';

function fakeAgent(): { started: StartSessionOptions[]; pushed: Uint8Array[]; startSession(o?: StartSessionOptions): Promise<SessionReport>; handlePush(b: Uint8Array): Promise<{ accepted: boolean }> } {
  const started: StartSessionOptions[] = [];
  const pushed: Uint8Array[] = [];
  return {
    started, pushed,
    startSession: async (o = {}) => {
      started.push(o);
      return { ok: true, end: 'completed', serverId: o.serverId ?? '', sessionId: '1', verDtd: '1.2', messagesSent: 1, commandsExecuted: 0, durationMs: 0 } as SessionReport;
    },
    handlePush: async (b) => {
      pushed.push(b);
      return { accepted: true };
    },
  };
}

describe('createPushRouter', () => {
  it('installs a provisioning push and starts the session INIT asks for', async () => {
    const agent = fakeAgent();
    const tree = bareTree();
    const route = createPushRouter(agent, { tree, ui: { prompt: () => ({ outcome: 'ok', input: '1' }) } });
    const { push } = buildSignedCpPush({ document: w7Document(sampleW7({ init: true })), security: { sec: 'USERPIN', userPin: '1' } });
    assert.deepEqual(await route(push), { accepted: true });
    assert.deepEqual(agent.started, [{ serverId: 'dm.example.com' }]);
    assert.equal(agent.pushed.length, 0);
  });

  it('passes every other push to the agent and reports a refused document', async () => {
    const agent = fakeAgent();
    const route = createPushRouter(agent, { tree: bareTree() });
    const pkg0 = encodeWapPush({ contentType: 0x44, applicationId: 0x07, body: new Uint8Array(30) });
    assert.deepEqual(await route(pkg0), { accepted: true });
    assert.equal(agent.pushed.length, 1);
    const unsigned = buildSignedCpPush({ document: w7Document(sampleW7()) }).push;
    const r = await route(unsigned);
    assert.equal(r.accepted, false);
    assert.match(r.reason ?? '', /unsigned/);
  });
});
