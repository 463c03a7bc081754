import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultFleetProfile, deviceProfileFor, failureProfileOf, imeiFor, loadFleetProfile, modelFor, parseFleetProfile, shippedFleetProfile,
} from '../../../src/client/simulator/fleet-profile.js';
import { ConfigError } from '../../../src/core/errors.js';

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('fleet profiles', () => {
  it('loads the shipped default profile', () => {
    const p = defaultFleetProfile();
    assert.ok(p.models.length >= 2);
    assert.equal(p.account?.authPref, 'DIGEST');
  });

  it('derives 15-digit IMEIs with a valid Luhn check digit', () => {
    for (const n of [0, 1, 42, 999_999]) {
      const imei = imeiFor('35693803', n);
      assert.match(imei, /^\d{15}$/);
      assert.ok(luhnOk(imei), imei);
    }
    assert.equal(imeiFor('49015420', 323_751), '490154203237518'); // the well-known example IMEI
  });

  it('gives every device its own id and credentials, and spreads models and firmware', () => {
    const p = defaultFleetProfile();
    const devices = Array.from({ length: 2000 }, (_, n) => deviceProfileFor(p, n, 'http://dm.example/dm'));
    assert.equal(new Set(devices.map((d) => d.devId)).size, 2000);
    assert.equal(new Set(devices.map((d) => d.accounts[0]?.clientSecret)).size, 2000);
    assert.equal(new Set(devices.map((d) => d.mod)).size, p.models.length);
    assert.ok(new Set(devices.map((d) => d.fwV)).size >= 5);
    assert.equal(devices[7]?.accounts[0]?.clientName, devices[7]?.devId);
    assert.equal(devices[7]?.accounts[0]?.addr, 'http://dm.example/dm');
    // Weighted: the first model (weight 5 of 10) gets half the devices.
    assert.equal(devices.filter((d) => d.mod === p.models[0]?.mod).length, 1000);
    assert.equal(modelFor(p, 0).mod, p.models[0]?.mod);
  });

  it('keeps ids distinct beyond a million devices', () => {
    const p = defaultFleetProfile();
    assert.notEqual(deviceProfileFor(p, 5, 'http://x/').devId, deviceProfileFor(p, 1_000_005, 'http://x/').devId);
  });

  it('applies per-device overrides', () => {
    const d = deviceProfileFor(defaultFleetProfile(), 0, 'http://x/', { devId: 'IMEI:1', username: 'u', password: 'p', serverPassword: 's' });
    assert.equal(d.devId, 'IMEI:1');
    assert.deepEqual([d.accounts[0]?.clientName, d.accounts[0]?.clientSecret, d.accounts[0]?.serverSecret], ['u', 'p', 's']);
  });

  it('finds shipped profiles beside its module, by name too', () => {
    assert.deepEqual(shippedFleetProfile('default'), defaultFleetProfile());
    assert.deepEqual(loadFleetProfile('default'), defaultFleetProfile(), 'a name that is no file loads the shipped profile');
    assert.throws(() => shippedFleetProfile('../default'), /profiles\/\.\.\/default\.json\) is missing/);
  });

  it('turns a failureProfile field into the failure profile of its devices', () => {
    const p = parseFleetProfile('{"failureProfile":{"devices":{"IMEI:1":"network-loss"}},"models":[{"man":"A","mod":"B","firmware":["1"]}]}', 'p.json');
    assert.equal(failureProfileOf(p)?.kindFor('IMEI:1'), 'network-loss');
    assert.equal(failureProfileOf(p)?.kindFor('IMEI:2'), undefined);
    assert.equal(failureProfileOf(defaultFleetProfile()), undefined);
  });

  it('rejects a bad profile with a one-line message naming the field', () => {
    const cases: Array<[string, RegExp]> = [
      ['{', /not JSON/],
      ['[]', /must be a JSON object/],
      ['{"models":[]}', /"models" must be a non-empty array/],
      ['{"models":[{"man":"A","mod":"B","firmware":[]}]}', /models\[0\]\.firmware/],
      ['{"models":[{"man":"A","firmware":["1"]}]}', /models\[0\]\.mod/],
      ['{"tac":"12","models":[{"man":"A","mod":"B","firmware":["1"]}]}', /"tac" must be 8 digits/],
      ['{"account":{"authPref":"KERBEROS"},"models":[{"man":"A","mod":"B","firmware":["1"]}]}', /authPref/],
      ['{"failureProfile":[],"models":[{"man":"A","mod":"B","firmware":["1"]}]}', /"failureProfile" must be an object/],
      ['{"failureProfile":{"mix":{"meltdown":1}},"models":[{"man":"A","mod":"B","firmware":["1"]}]}', /"failureProfile": unknown failure kind "meltdown"/],
    ];
    for (const [text, why] of cases) {
      assert.throws(() => parseFleetProfile(text, 'p.json'), (err: unknown) => err instanceof ConfigError && why.test(err.message) && err.message.startsWith('p.json: ') && !err.message.includes('\n'));
    }
  });
});
