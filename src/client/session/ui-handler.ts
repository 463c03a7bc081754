/**
 * User-interaction alerts 1100–1104 (OMA-TS-DM_Protocol §10.2, "User Interaction Alert"): the
 * engine parses the alert and asks a pluggable {@link UiHandler}; the answer becomes the Status
 * (200 / 304 / 408 / 214 / 406) and, for input and choices, Status Items.
 */
import { AlertCode } from '../../core/constants/alert.js';

/** The parsed options of the alert's first Item (`MINDT=10&MAXDT=30&DR=1…`). */
export interface UiOptions {
  /** Minimum display time, seconds. */
  readonly minDt?: number;
  /** Maximum display time (time-out), seconds. */
  readonly maxDt?: number;
  /** Default response as sent (`DR`), e.g. `1` or `2-3` for multiple choice. */
  readonly defaultResponse?: string;
  /** Maximum input length (1102). */
  readonly maxLen?: number;
  /** Input type (1102): A alphanumeric, N numeric, D date, T time, P phone, I IP address. */
  readonly inputType?: string;
  /** Echo type (1102): T text, P password. */
  readonly echoType?: string;
}

/** One user-interaction request. */
export interface UiRequest {
  /** 1100 display, 1101 confirm, 1102 text input, 1103 single choice, 1104 multiple choice. */
  readonly code: number;
  /** The text to show (second Item). */
  readonly text: string;
  /** Choice texts (Items 3…), for 1103 / 1104. */
  readonly choices: readonly string[];
  readonly options: UiOptions;
}

/** What the user did. */
export type UiResponse =
  /** Display acknowledged / confirm accepted / input or choice made. */
  | { readonly outcome: 'ok'; readonly input?: string; readonly selected?: readonly number[] }
  /** 1101 answered "no". */
  | { readonly outcome: 'no' }
  /** The user cancelled (214; the rest of the package is not executed). */
  | { readonly outcome: 'cancel' }
  /** MAXDT elapsed without an answer (408). */
  | { readonly outcome: 'timeout' }
  /** This device cannot show user interaction (406). */
  | { readonly outcome: 'unsupported' };

/** Shows user-interaction alerts; implementations decide how (terminal, script, real UI). */
export interface UiHandler {
  prompt(request: UiRequest): UiResponse | Promise<UiResponse>;
}

/** A device without a user interface: every UI alert gets 406 (optional feature not supported). */
export const noUiHandler: UiHandler = { prompt: () => ({ outcome: 'unsupported' }) };

/**
 * A user who never answers: display alerts count as shown, everything else times out (408).
 * This is how a headless reference client behaves once MAXDT elapses.
 */
export const timeoutUiHandler: UiHandler = {
  prompt: (r) => (r.code === AlertCode.DISPLAY ? { outcome: 'ok' } : { outcome: 'timeout' }),
};

/** A user who always accepts the default response (or "yes", or the first choice). */
export const acceptingUiHandler: UiHandler = {
  prompt: (r) => {
    if (r.code === AlertCode.TEXT_INPUT) return { outcome: 'ok', input: r.options.defaultResponse ?? '' };
    if (r.code === AlertCode.SINGLE_CHOICE || r.code === AlertCode.MULTIPLE_CHOICE) {
      const selected = defaultChoices(r.options.defaultResponse);
      return { outcome: 'ok', selected: selected.length > 0 ? selected : [1] };
    }
    return { outcome: 'ok' };
  },
};

/**
 * Parses the option string of a UI alert. It is URL-encoded `name=value` pairs joined by `&`
 * (OMA-TS-DM_Protocol §10.2.2); unknown names are ignored and malformed numbers are dropped, so a
 * sloppy server still gets its alert shown.
 */
export function parseUiOptions(text: string): UiOptions {
  const out: { -readonly [K in keyof UiOptions]: UiOptions[K] } = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toUpperCase();
    const value = decodeOption(part.slice(eq + 1));
    const num = /^\d+$/.test(value) ? Number(value) : undefined;
    switch (name) {
      case 'MINDT': if (num !== undefined) out.minDt = num; break;
      case 'MAXDT': if (num !== undefined) out.maxDt = num; break;
      case 'DR': out.defaultResponse = value; break;
      case 'MAXLEN': if (num !== undefined) out.maxLen = num; break;
      case 'IT': out.inputType = value; break;
      case 'ET': out.echoType = value; break;
      default: break;
    }
  }
  return out;
}

/**
 * The choice numbers of a default response. Multiple-choice defaults separate choices with `-`
 * (`DR=2-3` selects 2 and 3, OMA-TS-DM_Protocol §10.2.2).
 */
export function defaultChoices(dr: string | undefined): number[] {
  if (dr === undefined || dr === '') return [];
  return dr.split('-').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

function decodeOption(raw: string): string {
  // decodeURIComponent leaves "+" alone, as the reference client does for DR text ("hello+andy!").
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
