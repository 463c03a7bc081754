/** OMA DM alert codes (OMA-TS-DM_Protocol, "Alert Codes"). */
export const AlertCode = {
  /** 1100 — UI: display text. */
  DISPLAY: 1100,
  /** 1101 — UI: confirm or reject (200 yes, 304 no). */
  CONFIRM_OR_REJECT: 1101,
  /** 1102 — UI: text input. */
  TEXT_INPUT: 1102,
  /** 1103 — UI: single choice. */
  SINGLE_CHOICE: 1103,
  /** 1104 — UI: multiple choice. */
  MULTIPLE_CHOICE: 1104,
  /** 1200 — session initiated by the server (answering a Package 0). */
  SERVER_INITIATED_MGMT: 1200,
  /** 1201 — session initiated by the client. */
  CLIENT_INITIATED_MGMT: 1201,
  /** 1222 — request the next message of a multi-message package. */
  NEXT_MESSAGE: 1222,
  /** 1223 — session abort. */
  SESSION_ABORT: 1223,
  /** 1224 — client event. */
  CLIENT_EVENT: 1224,
  /** 1225 — no end of data (large object interrupted). */
  NO_END_OF_DATA: 1225,
  /** 1226 — generic alert (FUMO results). */
  GENERIC_ALERT: 1226,
} as const;
/** An alert code this project names. Parsed codes are plain numbers (the set is open). */
export type KnownAlertCode = (typeof AlertCode)[keyof typeof AlertCode];

const meanings: Readonly<Record<number, string>> = {
  1100: 'Display', 1101: 'Confirm or reject', 1102: 'Text input', 1103: 'Single choice',
  1104: 'Multiple choice', 1200: 'Server-initiated management', 1201: 'Client-initiated management',
  1222: 'Next message', 1223: 'Session abort', 1224: 'Client event', 1225: 'No end of data',
  1226: 'Generic alert',
};
const names = new Map<number, string>(Object.entries(AlertCode).map(([k, v]) => [v, k]));

/** Constant name of an alert code, or `'UNKNOWN'`. */
export function alertName(code: number): string {
  return names.get(code) ?? 'UNKNOWN';
}
/** Human-readable meaning of an alert code. */
export function alertMeaning(code: number): string {
  return meanings[code] ?? 'Unknown alert';
}
/** True for the user-interaction alerts 1100–1104. */
export function isUiAlert(code: number): boolean {
  return code >= 1100 && code <= 1104;
}

/** Generic-alert Mark levels (OMA-TS-DM_Protocol §8.7, Generic Alert). */
export const AlertMark = {
  FATAL: 'fatal',
  CRITICAL: 'critical',
  MINOR: 'minor',
  WARNING: 'warning',
  INFORMATIONAL: 'informational',
  HARMLESS: 'harmless',
  INDETERMINATE: 'indeterminate',
} as const;
/** One of the Mark levels. */
export type AlertMark = (typeof AlertMark)[keyof typeof AlertMark];
