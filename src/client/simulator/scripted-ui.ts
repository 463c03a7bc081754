/**
 * A simulated user: answers UI alerts 1100–1104 from a small script instead of a screen, so a
 * fleet of devices can exercise a server's user-interaction flows deterministically.
 */
import { AlertCode } from '../../core/constants/alert.js';
import { defaultChoices, type UiHandler, type UiResponse } from '../session/ui-handler.js';

/**
 * How the simulated user answers, per alert kind:
 * - `display` (1100): `ok` | `cancel` | `timeout`
 * - `confirm` (1101): `yes` | `no` | `cancel` | `timeout`
 * - `input` (1102): `default` (the DR option) | `cancel` | `timeout` | any other text, sent as typed
 * - `single` / `multi` (1103 / 1104): `default` | `cancel` | `timeout` | choice numbers like `2` or `1,3`
 */
export interface UiScript {
  readonly display?: string;
  readonly confirm?: string;
  readonly input?: string;
  readonly single?: string;
  readonly multi?: string;
}

/** A UiHandler that follows `script` (missing entries accept the default). */
export function scriptedUiHandler(script: UiScript = {}): UiHandler {
  return {
    prompt(r): UiResponse {
      switch (r.code) {
        case AlertCode.DISPLAY: return common(script.display) ?? { outcome: 'ok' };
        case AlertCode.CONFIRM_OR_REJECT: {
          const a = script.confirm ?? 'yes';
          return a === 'no' ? { outcome: 'no' } : common(a) ?? { outcome: 'ok' };
        }
        case AlertCode.TEXT_INPUT: {
          const a = script.input ?? 'default';
          return common(a) ?? { outcome: 'ok', input: a === 'default' ? r.options.defaultResponse ?? '' : a };
        }
        case AlertCode.SINGLE_CHOICE:
        case AlertCode.MULTIPLE_CHOICE: {
          const a = (r.code === AlertCode.SINGLE_CHOICE ? script.single : script.multi) ?? 'default';
          const c = common(a);
          if (c !== undefined) return c;
          const picked = a === 'default' ? defaultChoices(r.options.defaultResponse) : a.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
          return { outcome: 'ok', selected: picked.length > 0 ? picked : [1] };
        }
        default:
          return { outcome: 'unsupported' };
      }
    },
  };
}

function common(answer: string | undefined): UiResponse | undefined {
  if (answer === 'cancel') return { outcome: 'cancel' };
  if (answer === 'timeout') return { outcome: 'timeout' };
  return undefined;
}

/**
 * A user who knows the PIN of a Client Provisioning bootstrap: the PIN prompt (1102, asked by the
 * provisioning receiver for USERPIN / USERNETWPIN / USERPINMAC documents) gets `pin`; every
 * other request goes to `base`. Give it only to the provisioning receiver, so text-input alerts
 * of DM sessions are not answered with the PIN.
 */
export function pinUiHandler(pin: string, base: UiHandler): UiHandler {
  return {
    prompt: (r) => (r.code === AlertCode.TEXT_INPUT ? { outcome: 'ok', input: pin } : base.prompt(r)),
  };
}
