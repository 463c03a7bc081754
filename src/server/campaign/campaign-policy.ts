/**
 * Failure classes of FUMO result codes (reference §2.3) and the retry decision. The client MUST
 * NOT retry an operation after reporting it (reference §1.11); retrying is the server's choice,
 * made here per class: a broken download is worth another attempt, a corrupt package is not.
 */
import { FumoResult } from '../../core/constants/fumo.js';
import { DEFAULT_RETRY, type FailureClass, type RetryPolicy, type RetryRule } from './campaign-types.js';

/** The failure class of a (non-success) FUMO result code. */
export function failureClassOf(resultCode: number): FailureClass {
  switch (resultCode) {
    case FumoResult.DOWNLOAD_NETWORK_ERROR:
    case FumoResult.DOWNLOAD_TIMEOUT:
      return 'network';
    case FumoResult.CLIENT_ERROR:
    case FumoResult.DOWNLOAD_AUTH_FAILURE:
    case FumoResult.BAD_URL:
    case FumoResult.DOWNLOAD_SERVER_UNAVAILABLE:
    case FumoResult.DOWNLOAD_SERVER_ERROR:
      return 'download-server';
    case FumoResult.CORRUPTED_PACKAGE:
    case FumoResult.DEVICE_MISMATCH:
    case FumoResult.VALIDATION_FAILED:
    case FumoResult.PACKAGE_NOT_ACCEPTABLE:
      return 'package';
    case FumoResult.USER_CANCELLED:
      return 'user';
    case FumoResult.DOWNLOAD_OUT_OF_MEMORY:
    case FumoResult.UPDATE_OUT_OF_MEMORY:
      return 'memory';
    default:
      // 550–599: alternate download server error, vendor specified.
      return resultCode >= 550 && resultCode <= 599 ? 'download-server' : 'update';
  }
}

/** The retry rule of a class under a campaign's policy. */
export function retryRuleOf(policy: RetryPolicy, cls: FailureClass): RetryRule {
  return policy[cls] ?? DEFAULT_RETRY[cls];
}

/** When the next attempt may start, or `undefined` when the attempts of the class are spent. */
export function nextAttemptAt(policy: RetryPolicy, failure: { readonly cls: FailureClass; readonly attempt: number; readonly now: number }): number | undefined {
  const rule = retryRuleOf(policy, failure.cls);
  return failure.attempt < rule.maxAttempts ? failure.now + rule.delayMs : undefined;
}
