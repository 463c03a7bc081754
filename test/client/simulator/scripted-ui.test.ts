import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scriptedUiHandler } from '../../../src/client/simulator/scripted-ui.js';
import type { UiRequest } from '../../../src/client/session/ui-handler.js';

const req = (code: number, dr?: string): UiRequest => ({ code, text: 't', choices: ['a', 'b', 'c'], options: dr === undefined ? {} : { defaultResponse: dr } });

describe('scriptedUiHandler', () => {
  it('accepts defaults when the script is empty', () => {
    const ui = scriptedUiHandler();
    assert.deepEqual(ui.prompt(req(1100)), { outcome: 'ok' });
    assert.deepEqual(ui.prompt(req(1101)), { outcome: 'ok' });
    assert.deepEqual(ui.prompt(req(1102, 'hi')), { outcome: 'ok', input: 'hi' });
    assert.deepEqual(ui.prompt(req(1103, '2')), { outcome: 'ok', selected: [2] });
    assert.deepEqual(ui.prompt(req(1104, '1-3')), { outcome: 'ok', selected: [1, 3] });
  });

  it('follows the script: no, typed text, choices, cancel and timeout', () => {
    const ui = scriptedUiHandler({ confirm: 'no', input: '1234', single: '3', multi: '1,2', display: 'timeout' });
    assert.deepEqual(ui.prompt(req(1101)), { outcome: 'no' });
    assert.deepEqual(ui.prompt(req(1102)), { outcome: 'ok', input: '1234' });
    assert.deepEqual(ui.prompt(req(1103)), { outcome: 'ok', selected: [3] });
    assert.deepEqual(ui.prompt(req(1104)), { outcome: 'ok', selected: [1, 2] });
    assert.deepEqual(ui.prompt(req(1100)), { outcome: 'timeout' });
    assert.deepEqual(scriptedUiHandler({ confirm: 'cancel' }).prompt(req(1101)), { outcome: 'cancel' });
  });

  it('answers unknown alert codes as unsupported', () => {
    assert.deepEqual(scriptedUiHandler().prompt(req(1199)), { outcome: 'unsupported' });
  });
});
