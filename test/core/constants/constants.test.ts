import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status, isSuccessStatus, statusMeaning, statusName } from '../../../src/core/constants/status.js';
import { AlertCode, alertMeaning, alertName, isUiAlert } from '../../../src/core/constants/alert.js';
import {
  FumoResult, FumoState, fumoResultMeaning, fumoStateMeaning, isFumoSuccess, isTerminalFumoState,
} from '../../../src/core/constants/fumo.js';

describe('Status', () => {
  it('names known codes and says UNKNOWN for codes a peer invents', () => {
    assert.equal(statusName(425), 'PERMISSION_DENIED');
    assert.equal(statusMeaning(Status.ATOMIC_FAILED), 'Atomic failed');
    assert.equal(statusName(299), 'UNKNOWN');
    assert.equal(statusMeaning(299), 'Unknown status');
  });
  it('has a distinct value for every constant', () => {
    const values = Object.values(Status);
    assert.equal(new Set(values).size, values.length);
  });
  it('treats 2xx as success', () => {
    assert.ok(isSuccessStatus(Status.CHUNKED_ITEM_ACCEPTED));
    assert.ok(!isSuccessStatus(Status.NOT_MODIFIED));
  });
});

describe('AlertCode', () => {
  it('names alert codes and recognises the UI alerts', () => {
    assert.equal(alertName(1226), 'GENERIC_ALERT');
    assert.equal(alertMeaning(AlertCode.NEXT_MESSAGE), 'Next message');
    assert.ok(isUiAlert(1104) && isUiAlert(1100) && !isUiAlert(1200));
    assert.equal(alertName(1299), 'UNKNOWN');
  });
});

describe('FUMO constants', () => {
  it('keeps 70 as failed-with-data and 80 as failed-without-data', () => {
    assert.equal(FumoState.UPDATE_FAILED_HAVE_DATA, 70);
    assert.equal(fumoStateMeaning(80), 'Update Failed / No Data');
  });
  it('knows the ten states and which are terminal', () => {
    assert.equal(Object.keys(FumoState).length, 10);
    assert.deepEqual(Object.values(FumoState).filter(isTerminalFumoState), [20, 70, 80, 90, 100]);
  });
  it('describes result codes including the vendor ranges', () => {
    assert.equal(fumoResultMeaning(FumoResult.DOWNLOAD_SERVER_ERROR), 'Alternate download server error');
    assert.equal(fumoResultMeaning(451), 'Client error - vendor specified');
    assert.ok(isFumoSuccess(260) && !isFumoSuccess(402));
  });
});
