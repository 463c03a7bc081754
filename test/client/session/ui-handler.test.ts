import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertCommand, Command, StatusCommand } from '../../../src/core/syncml/message.js';
import { defaultChoices, parseUiOptions, type UiHandler, type UiRequest, type UiResponse } from '../../../src/client/session/ui-handler.js';
import { drive, serverHdrStatus, serverMessage, statusTuples } from '../../helpers/session-driver.js';

const ui = (code: number, cmdId: number, options: string, ...texts: string[]): AlertCommand =>
  ({ kind: 'Alert', cmdId, data: code, items: [{ data: options }, ...texts.map((t) => ({ data: t }))] });
const add = (cmdId: number, uri: string): Command => ({ kind: 'Add', cmdId, meta: { format: 'chr' }, items: [{ target: { locUri: uri }, data: 'v' }] });
const answering = (r: UiResponse, seen?: UiRequest[]): UiHandler => ({ prompt: (req) => { seen?.push(req); return r; } });

describe('parseUiOptions', () => {
  it('reads MINDT, MAXDT, DR, MAXLEN, IT and ET and ignores unknown names', () => {
    assert.deepEqual(parseUiOptions('MINDT=5&MAXDT=30&DR=hello%20you&MAXLEN=8&IT=N&ET=P&FOO=1'),
      { minDt: 5, maxDt: 30, defaultResponse: 'hello you', maxLen: 8, inputType: 'N', echoType: 'P' });
  });

  it('keeps a literal "+" and survives a malformed option string', () => {
    assert.equal(parseUiOptions('DR=hello+andy!').defaultResponse, 'hello+andy!');
    assert.deepEqual(parseUiOptions('MAXDT=15DR=1'), {});
    assert.deepEqual(parseUiOptions('DR=%E0'), { defaultResponse: '%E0' });
  });

  it('splits multiple-choice defaults on "-"', () => {
    assert.deepEqual(defaultChoices('2-3'), [2, 3]);
    assert.deepEqual(defaultChoices(undefined), []);
  });
});

describe('DmClientSession UI alerts', () => {
  it('answers 406 when the device has no UI', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1101, 2, 'MAXDT=10', 'Update?')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Alert', 2, 406]]);
  });

  it('hands text, choices and options to the UI handler and returns the choices as Status Items', async () => {
    const seen: UiRequest[] = [];
    const d = drive({ ui: answering({ outcome: 'ok', selected: [1, 3] }, seen) });
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1104, 2, 'MAXDT=20&DR=1-3', 'Pick', 'a', 'b', 'c')]));
    assert.deepEqual(seen[0], { code: 1104, text: 'Pick', choices: ['a', 'b', 'c'], options: { maxDt: 20, defaultResponse: '1-3' } });
    const s = out?.body.commands[1] as StatusCommand;
    assert.equal(s.data, 200);
    assert.deepEqual(s.items?.map((i) => i.data), ['1', '3']);
  });

  it('returns text input in a Status Item', async () => {
    const d = drive({ ui: answering({ outcome: 'ok', input: '1234' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1102, 2, 'MAXLEN=4&IT=N', 'PIN?')]));
    assert.deepEqual((out?.body.commands[1] as StatusCommand).items, [{ data: '1234' }]);
  });

  it('answers "no" to 1101 with 304 and carries on with the package', async () => {
    const d = drive({ ui: answering({ outcome: 'no' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1101, 2, '', 'Sure?'), add(3, './DevInfo/A')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Alert', 2, 304], ['Add', 3, 200]]);
  });

  it('fails an Atomic when the user says "no" inside it', async () => {
    const d = drive({ ui: answering({ outcome: 'no' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Atomic', cmdId: 2, commands: [add(3, './DevInfo/A'), ui(1101, 4, '', 'Sure?'), add(5, './DevInfo/B')] }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 507], ['Add', 3, 216], ['Alert', 4, 304], ['Add', 5, 215]]);
    assert.equal(d.tree.readValue('./DevInfo/A'), undefined);
  });

  it('skips the rest of a Sequence with 215 when the user says "no"', async () => {
    const d = drive({ ui: answering({ outcome: 'no' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Sequence', cmdId: 2, commands: [ui(1101, 3, '', 'Sure?'), add(4, './DevInfo/A')] }, add(5, './DevInfo/B')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Sequence', 2, 200], ['Alert', 3, 304], ['Add', 4, 215], ['Add', 5, 200]]);
  });

  it('answers a cancel with 214 and does not execute the rest of the package', async () => {
    const d = drive({ ui: answering({ outcome: 'cancel' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1101, 2, '', 'Sure?'), add(3, './DevInfo/A')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Alert', 2, 214], ['Add', 3, 215]]);
    assert.equal(d.tree.readValue('./DevInfo/A'), undefined);
  });

  it('answers a timeout with 408 and echoes the default response', async () => {
    const d = drive({ ui: answering({ outcome: 'timeout' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), ui(1103, 2, 'MAXDT=5&DR=2', 'One?', 'a', 'b'), ui(1100, 3, 'MINDT=1', 'Hi')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Alert', 2, 408], ['Alert', 3, 200]]);
    assert.deepEqual((out?.body.commands[1] as StatusCommand).items, [{ data: '2' }]);
  });

  it('answers 412 to a UI alert without its text item and 406 to a client-only alert code', async () => {
    const d = drive({ ui: answering({ outcome: 'ok' }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Alert', cmdId: 2, data: 1100, items: [{ data: '' }] }, { kind: 'Alert', cmdId: 3, data: 1226, items: [] }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Alert', 2, 412], ['Alert', 3, 406]]);
  });
});
