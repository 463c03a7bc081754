import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBasicCredential } from '../../../src/core/auth/basic.js';
import { computeHmacMd5, formatHmacHeader } from '../../../src/core/auth/hmac-md5.js';
import { computeMd5Digest, md5Secret } from '../../../src/core/auth/md5-digest.js';
import type { SyncHdr } from '../../../src/core/syncml/message.js';
import { checkClientCredential, type CredentialCheck } from '../../../src/server/auth/client-auth.js';
import { buildChallenge, buildServerCred } from '../../../src/server/auth/server-auth.js';
import { hashPassword } from '../../../src/server/registry/password-hash.js';

const nonce = new Uint8Array(16).fill(7);
const hdr = (cred?: SyncHdr['cred'], locName = 'Bruce2'): SyncHdr => ({
  verDtd: '1.2', verProto: 'DM/1.2', sessionId: '1', msgId: 1, target: { locUri: 's' }, source: { locUri: 'dev', locName }, ...(cred ? { cred } : {}),
});
const base = (over: Partial<CredentialCheck>): CredentialCheck => ({
  credential: { username: 'Bruce2', authType: 'md5', secret: { kind: 'md5', value: md5Secret('Bruce2', 'OhBehave') } },
  header: hdr(), hmacHeader: undefined, body: new Uint8Array([1, 2, 3]), secure: false, nonce, allowBasicWithoutTls: false, ...over,
});

describe('checkClientCredential', () => {
  it('accepts the MD5 digest over the issued nonce and returns the pair to remember', async () => {
    const data = computeMd5Digest({ username: 'Bruce2', password: 'OhBehave', nonce });
    const v = await checkClientCredential(base({ header: hdr({ meta: { type: 'syncml:auth-md5', format: 'b64' }, data }) }));
    assert.deepEqual(v.ok && v.replay?.digest, data);
  });

  it('refuses a digest over another nonce (401 invalid) and a missing Cred (407 missing)', async () => {
    const data = computeMd5Digest({ username: 'Bruce2', password: 'OhBehave', nonce: new Uint8Array(16) });
    const v = await checkClientCredential(base({ header: hdr({ meta: { type: 'syncml:auth-md5' }, data }) }));
    assert.deepEqual(v.ok ? 'ok' : [v.status, v.reason], [401, 'invalid']);
    const m = await checkClientCredential(base({}));
    assert.deepEqual(m.ok ? 'ok' : [m.status, m.reason], [407, 'missing']);
  });

  it('refuses a Cred of another type than the account uses', async () => {
    const v = await checkClientCredential(base({ header: hdr({ meta: { type: 'syncml:auth-basic' }, data: encodeBasicCredential('Bruce2', 'OhBehave') }), secure: true }));
    assert.equal(v.ok ? 'ok' : v.reason, 'unsupported');
  });

  it('accepts Basic only over TLS unless allowed, against an MD5 secret or a scrypt hash', async () => {
    const cred = { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: encodeBasicCredential('Bruce2', 'OhBehave') };
    const basic = { username: 'Bruce2', authType: 'basic' as const, secret: { kind: 'scrypt' as const, value: await hashPassword('OhBehave') } };
    assert.equal((await checkClientCredential(base({ credential: basic, header: hdr(cred) }))).ok, false);
    assert.equal((await checkClientCredential(base({ credential: basic, header: hdr(cred), secure: true }))).ok, true);
    assert.equal((await checkClientCredential(base({ credential: { ...basic, secret: { kind: 'md5', value: md5Secret('Bruce2', 'OhBehave') } }, header: hdr(cred), allowBasicWithoutTls: true }))).ok, true);
    const wrong = { ...cred, data: encodeBasicCredential('Bruce2', 'nope') };
    assert.equal((await checkClientCredential(base({ credential: basic, header: hdr(wrong), secure: true }))).ok, false);
  });

  it('verifies the x-syncml-hmac header over the exact body', async () => {
    const body = new TextEncoder().encode('<SyncML/>');
    const mac = computeHmacMd5({ username: 'Bruce2', password: 'OhBehave', nonce, body });
    const credential = { username: 'Bruce2', authType: 'hmac' as const, secret: { kind: 'md5' as const, value: md5Secret('Bruce2', 'OhBehave') } };
    const ok = await checkClientCredential(base({ credential, body, hmacHeader: formatHmacHeader({ username: 'Bruce2', mac }) }));
    assert.equal(ok.ok, true);
    const tampered = await checkClientCredential(base({ credential, body: new TextEncoder().encode('<SyncML />'), hmacHeader: formatHmacHeader({ username: 'Bruce2', mac }) }));
    assert.equal(tampered.ok ? 'ok' : tampered.reason, 'invalid');
    const none = await checkClientCredential(base({ credential, body }));
    assert.deepEqual(none.ok ? 'ok' : [none.status, none.reason], [407, 'missing']);
  });
});

describe('server credentials and challenges', () => {
  it('computes the server Cred like the spec vector and builds challenges with a b64 NextNonce', () => {
    const cred = buildServerCred({ serverId: 'Bruce2', secret: md5Secret('Bruce2', 'OhBehave') }, new TextEncoder().encode('Nonce'));
    assert.equal(cred.data, 'Zz6EivR3yeaaENcRN6lpAQ==');
    assert.deepEqual(buildChallenge('md5', nonce).meta, { type: 'syncml:auth-md5', format: 'b64', nextNonce: Buffer.from(nonce).toString('base64') });
    assert.deepEqual(buildChallenge('basic', undefined).meta, { type: 'syncml:auth-basic', format: 'b64' });
    assert.equal(buildChallenge('hmac', nonce).meta.type, 'syncml:auth-MAC');
  });
});
