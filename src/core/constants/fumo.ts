/** FUMO State node values (OMA FUMO 1.0, State). 70 = failed *with* data, 80 = failed *without*. */
export const FumoState = {
  /** 10 — idle / start. */
  IDLE: 10,
  /** 20 — download failed. */
  DOWNLOAD_FAILED: 20,
  /** 30 — download progressing. */
  DOWNLOAD_PROGRESSING: 30,
  /** 40 — download complete. */
  DOWNLOAD_COMPLETE: 40,
  /** 50 — ready to update. */
  READY_TO_UPDATE: 50,
  /** 60 — update progressing. */
  UPDATE_PROGRESSING: 60,
  /** 70 — update failed, package data kept. */
  UPDATE_FAILED_HAVE_DATA: 70,
  /** 80 — update failed, no package data. */
  UPDATE_FAILED_NO_DATA: 80,
  /** 90 — update successful, package data kept. */
  UPDATE_SUCCESSFUL_HAVE_DATA: 90,
  /** 100 — update successful, no package data. */
  UPDATE_SUCCESSFUL_NO_DATA: 100,
} as const;
/** One of the ten FUMO states. */
export type FumoState = (typeof FumoState)[keyof typeof FumoState];

const stateMeanings: Readonly<Record<number, string>> = {
  10: 'Idle / Start', 20: 'Download Failed', 30: 'Download Progressing', 40: 'Download Complete',
  50: 'Ready to Update', 60: 'Update Progressing', 70: 'Update Failed / Have Data',
  80: 'Update Failed / No Data', 90: 'Update Successful / Have Data', 100: 'Update Successful / No Data',
};
/** Meaning of a FUMO state value. */
export function fumoStateMeaning(state: number): string {
  return stateMeanings[state] ?? 'Unknown state';
}
/** Terminal states: the operation is over (20, 70, 80, 90, 100). */
export function isTerminalFumoState(state: number): boolean {
  return state === 20 || state === 70 || state === 80 || state === 90 || state === 100;
}

/** FUMO result codes reported in the Generic Alert 1226 Data (OMA FUMO 1.0, Result Codes). */
export const FumoResult = {
  /** 200 — successful. */
  SUCCESSFUL: 200,
  /** 400 — management client error. */
  CLIENT_ERROR: 400,
  /** 401 — user cancelled. */
  USER_CANCELLED: 401,
  /** 402 — corrupted firmware update package. */
  CORRUPTED_PACKAGE: 402,
  /** 403 — firmware update package / device mismatch. */
  DEVICE_MISMATCH: 403,
  /** 404 — failed firmware update package validation. */
  VALIDATION_FAILED: 404,
  /** 405 — firmware update package not acceptable. */
  PACKAGE_NOT_ACCEPTABLE: 405,
  /** 406 — alternate download authentication failure. */
  DOWNLOAD_AUTH_FAILURE: 406,
  /** 407 — alternate download request time-out. */
  DOWNLOAD_TIMEOUT: 407,
  /** 408 — not implemented. */
  NOT_IMPLEMENTED: 408,
  /** 409 — undefined error. */
  UNDEFINED_ERROR: 409,
  /** 410 — firmware update failed. */
  UPDATE_FAILED: 410,
  /** 411 — malformed or bad URL. */
  BAD_URL: 411,
  /** 412 — alternate download server unavailable. */
  DOWNLOAD_SERVER_UNAVAILABLE: 412,
  /** 500 — alternate download server error. */
  DOWNLOAD_SERVER_ERROR: 500,
  /** 501 — download fails, device out of memory. */
  DOWNLOAD_OUT_OF_MEMORY: 501,
  /** 502 — firmware update fails, device out of memory. */
  UPDATE_OUT_OF_MEMORY: 502,
  /** 503 — download fails, network issues. */
  DOWNLOAD_NETWORK_ERROR: 503,
} as const;
/** A FUMO result code this project names. */
export type KnownFumoResult = (typeof FumoResult)[keyof typeof FumoResult];

const resultMeanings: Readonly<Record<number, string>> = {
  200: 'Successful', 400: 'Management client error', 401: 'User cancelled',
  402: 'Corrupted firmware update package', 403: 'Firmware update package - device mismatch',
  404: 'Failed firmware update package validation', 405: 'Firmware update package not acceptable',
  406: 'Alternate download authentication failure', 407: 'Alternate download request time-out',
  408: 'Not implemented', 409: 'Undefined error', 410: 'Firmware update failed', 411: 'Malformed or bad URL',
  412: 'Alternate download server unavailable', 500: 'Alternate download server error',
  501: 'Download fails - device out of memory', 502: 'Firmware update fails - device out of memory',
  503: 'Download fails - network issues',
};
/** Meaning of a FUMO result code, including the vendor-specified ranges. */
export function fumoResultMeaning(code: number): string {
  const known = resultMeanings[code];
  if (known) return known;
  if (code >= 250 && code <= 299) return 'Successful - vendor specified';
  if (code >= 450 && code <= 499) return 'Client error - vendor specified';
  if (code >= 550 && code <= 599) return 'Alternate download server error - vendor specified';
  return 'Unknown result';
}
/** True when a FUMO result code reports success (200, 250–299). */
export function isFumoSuccess(code: number): boolean {
  return code === 200 || (code >= 250 && code <= 299);
}

/** Generic-alert types used by FUMO (Meta Type of the 1226 Item). */
export const FumoAlertType = {
  DOWNLOAD: 'org.openmobilealliance.dm.firmwareupdate.download',
  UPDATE: 'org.openmobilealliance.dm.firmwareupdate.update',
  DOWNLOAD_AND_UPDATE: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate',
  DEVICE_REQUEST: 'org.openmobilealliance.dm.firmwareupdate.devicerequest',
  USER_REQUEST: 'org.openmobilealliance.dm.firmwareupdate.userrequest',
} as const;
/** One of the FUMO generic-alert types. */
export type FumoAlertType = (typeof FumoAlertType)[keyof typeof FumoAlertType];
