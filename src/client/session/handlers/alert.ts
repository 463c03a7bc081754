/**
 * Handler of server Alerts (OMA-TS-DM_Protocol §10 / reference §2.1): the user-interaction alerts
 * 1100–1104 go to the {@link UiHandler}; 1222 (next message) and 1225 (no end of data) are
 * acknowledged; 1223 (session abort) stops the session without a reply.
 */
import { AlertCode, isUiAlert } from '../../../core/constants/alert.js';
import { Status } from '../../../core/constants/status.js';
import type { AlertCommand, Item, ItemData } from '../../../core/syncml/message.js';
import { parseUiOptions, type UiRequest, type UiResponse } from '../ui-handler.js';
import { isOk, statusFor, type CommandResult, type ExecContext } from './exec-context.js';

/** Runs one Alert from the server. */
export async function executeAlert(cmd: AlertCommand, ctx: ExecContext): Promise<CommandResult> {
  const code = cmd.data;
  if (isUiAlert(code)) return uiAlert(cmd, ctx);
  switch (code) {
    case AlertCode.SESSION_ABORT:
      // §8.4: "the client receiving it SHOULD NOT respond" — no Status, the session ends.
      return { out: [], ok: true, control: 'abort' };
    case AlertCode.NEXT_MESSAGE:
    case AlertCode.NO_END_OF_DATA:
    case AlertCode.SERVER_INITIATED_MGMT:
    case AlertCode.CLIENT_INITIATED_MGMT:
      // Session-level alerts: nothing to execute, acknowledge (the session acts on 1222 itself).
      return done(cmd, ctx, Status.OK);
    default:
      // Client-to-server alerts (1224, 1226) and unknown codes are not something a client executes.
      return done(cmd, ctx, Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
  }
}

function done(cmd: AlertCommand, ctx: ExecContext, code: number, items?: readonly Item[]): CommandResult {
  return { out: [statusFor(cmd, ctx.msgRef, code, undefined, items)], ok: isOk(code) };
}

async function uiAlert(cmd: AlertCommand, ctx: ExecContext): Promise<CommandResult> {
  // Item 1: options; Item 2: text; Items 3…: choices (§10.2.1). Fewer than two items is incomplete.
  if (cmd.items.length < 2) return done(cmd, ctx, Status.INCOMPLETE_COMMAND);
  const options = parseUiOptions(text(cmd.items[0]?.data));
  const request: UiRequest = {
    code: cmd.data,
    text: text(cmd.items[1]?.data),
    choices: cmd.items.slice(2).map((i) => text(i.data)),
    options,
  };
  let answer: UiResponse;
  try {
    answer = await ctx.ui.prompt(request);
  } catch (err) {
    ctx.logger.warn(`UI handler failed on alert ${cmd.data}: ${(err as Error).message}`);
    return done(cmd, ctx, Status.COMMAND_FAILED);
  }
  switch (answer.outcome) {
    case 'unsupported':
      return done(cmd, ctx, Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
    case 'cancel':
      return { ...done(cmd, ctx, Status.OPERATION_CANCELLED), ok: false, control: 'cancel' };
    case 'no':
      // 1101 answered "no" → 304 (reference §2.1); for other alerts "no" is a cancel.
      if (cmd.data === AlertCode.CONFIRM_OR_REJECT) return done(cmd, ctx, Status.NOT_MODIFIED);
      return { ...done(cmd, ctx, Status.OPERATION_CANCELLED), ok: false, control: 'cancel' };
    case 'timeout':
      // A display alert that times out has been displayed. Others report 408 and, like the
      // reference client, echo the default response so the server sees what would have applied.
      if (cmd.data === AlertCode.DISPLAY) return done(cmd, ctx, Status.OK);
      return done(cmd, ctx, Status.REQUEST_TIMEOUT, defaultItems(cmd.data, options.defaultResponse));
    case 'ok':
      return done(cmd, ctx, Status.OK, answerItems(cmd.data, answer));
  }
}

/** Status Items carrying the user's input or choices (§10.2.3). */
function answerItems(code: number, answer: Extract<UiResponse, { outcome: 'ok' }>): Item[] | undefined {
  if (code === AlertCode.TEXT_INPUT) return [{ data: answer.input ?? '' }];
  if (code === AlertCode.SINGLE_CHOICE || code === AlertCode.MULTIPLE_CHOICE) {
    const chosen = answer.selected ?? [];
    return chosen.map((n) => ({ data: String(n) }));
  }
  return undefined;
}

function defaultItems(code: number, dr: string | undefined): Item[] | undefined {
  if (dr === undefined || dr === '') return undefined;
  if (code === AlertCode.TEXT_INPUT || code === AlertCode.SINGLE_CHOICE) return [{ data: dr }];
  if (code === AlertCode.MULTIPLE_CHOICE) return dr.split('-').filter((s) => s !== '').map((s) => ({ data: s }));
  return undefined;
}

function text(data: ItemData | undefined): string {
  if (data === undefined) return '';
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data).toString('utf8');
  return '';
}
