import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodeBasicCredential } from '../../../src/core/auth/basic.js';
import { decodeMessage } from '../../../src/core/codec/message-codec.js';
import type { StatusCommand } from '../../../src/core/syncml/message.js';
import { deviceId } from '../../../src/server/store/store.js';
import { post } from '../../helpers/dm-test-device.js';
import { addDevice, startTestServer, type TestServer } from '../../helpers/test-server.js';

const vector = (name: string): Buffer => readFileSync(new URL(`../../../../shared/vectors/${name}`, import.meta.url));
const XML = { 'content-type': 'application/vnd.syncml.dm+xml' };
const WBXML = { 'content-type': 'application/vnd.syncml.dm+wbxml' };

function hdrStatus(body: Buffer): number | undefined {
  const m = decodeMessage(new Uint8Array(body)).message;
  return m.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === 0)?.data;
}

describe('DM endpoint', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ session: { maxBodyBytes: 64 * 1024 }, auth: { allowBasicWithoutTls: true } });
    await addDevice(t.server, { id: 'quirky', authType: 'basic', password: 'pw' });
  });
  after(() => t.close());

  it('refuses a wrong content type with 415 and a short text', async () => {
    const r = await post(t.dmUrl, Buffer.from('<SyncML/>'), { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.match(r.body.toString(), /unsupported media type/);
    const none = await post(t.dmUrl, Buffer.from('<SyncML/>'), {});
    assert.equal(none.status, 415);
  });

  it('refuses an oversize body with 413', async () => {
    const r = await post(t.dmUrl, Buffer.alloc(70 * 1024, 0x20), XML);
    assert.equal(r.status, 413);
  });

  it('answers bytes that are not a DM message with 400 and a short text', async () => {
    for (const body of [Buffer.from('hello'), Buffer.alloc(0), Buffer.from([0x03, 0x01, 0x6a, 0x00]), Buffer.from('<SyncML><SyncHdr>')]) {
      const r = await post(t.dmUrl, body, body[0] === 0x03 ? WBXML : XML);
      assert.equal(r.status, 400, `for ${body.toString('hex').slice(0, 20)}`);
      assert.match(r.body.toString(), /^malformed DM message/);
    }
  });

  it('answers a message whose header is readable but body is not with a SyncML Status 400', async () => {
    const text = "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>" +
      '<Target><LocURI>http://s/dm</LocURI></Target><Source><LocURI>dev-x</LocURI></Source></SyncHdr>' +
      '<SyncBody><Status><CmdID>1</CmdID><MsgRef>one</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status><Final/></SyncBody></SyncML>';
    const r = await post(t.dmUrl, Buffer.from(text), XML);
    assert.equal(r.status, 200);
    assert.equal(hdrStatus(r.body), 400);
    assert.equal(decodeMessage(new Uint8Array(r.body)).message.header.target.locUri, 'dev-x');
  });

  it('survives hostile XML (entity expansion, deep nesting) without crashing', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE SyncML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><SyncML>&b;</SyncML>';
    const deep = `<SyncML>${'<Item>'.repeat(5000)}${'</Item>'.repeat(5000)}</SyncML>`;
    for (const body of [bomb, deep]) {
      const r = await post(t.dmUrl, Buffer.from(body), XML);
      assert.equal(r.status, 400);
    }
    const health = await fetch(`${t.url}/api/health`);
    assert.equal(health.status, 200);
  });

  it('answers every truncation of a real WBXML message without crashing', async () => {
    const bytes = vector('aosp-omadm-dm12-testget.wbxml');
    const cuts = [1, 2, 4, 8, 16, 32, bytes.length >> 1, bytes.length - 1];
    const results = await Promise.all(cuts.map((n) => post(t.dmUrl, bytes.subarray(0, n), WBXML)));
    for (const r of results) assert.ok(r.status === 400 || r.status === 200, `status ${r.status}`);
  });

  it('accepts a real Windows 10 Package 1 on POST / and answers an unknown device in SyncML (403)', async () => {
    const r = await post(`${t.url}/`, vector('fleet-win10-19043-session1-pkg1-client-init.xml'), XML);
    assert.equal(r.status, 200);
    assert.equal(hdrStatus(r.body), 403);
  });

  it('accepts single-quoted or missing namespaces, no DOCTYPE, CDATA split around ]]> and a hex SessionID', async () => {
    const cred = encodeBasicCredential('quirky', 'pw');
    const text = '<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1A2F</SessionID><MsgID>1</MsgID>' +
      `<Target><LocURI>${t.dmUrl}</LocURI></Target><Source><LocURI>quirky</LocURI></Source>` +
      `<Cred><Meta><Type xmlns='syncml:metinf'>syncml:auth-basic</Type><Format xmlns='syncml:metinf'>b64</Format></Meta><Data>${cred}</Data></Cred></SyncHdr>` +
      "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/Mod</LocURI></Source>" +
      '<Data><![CDATA[X]]]]><![CDATA[>Y]]></Data></Item></Replace><Final/></SyncBody></SyncML>';
    const r = await post(t.dmUrl, Buffer.from(text), { 'content-type': 'application/vnd.syncml+xml; charset=utf-8' });
    assert.equal(r.status, 200);
    assert.equal(hdrStatus(r.body), 212);
    const reply = decodeMessage(new Uint8Array(r.body)).message;
    assert.equal(reply.header.sessionId, '1A2F');
    assert.equal((await t.server.registry.get(deviceId('quirky')))?.devInfo.mod, 'X]]>Y');
  });

  it('answers many concurrent bad requests', async () => {
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => post(t.dmUrl, Buffer.from(`junk ${i}`), XML)));
    assert.ok(rs.every((r) => r.status === 400));
  });
});
