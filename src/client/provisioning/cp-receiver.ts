/**
 * The device side of a Client Provisioning bootstrap (OMA-WAP-TS-ProvBoot-V1_1 §5; reference
 * §1.12): a WAP push whose content type is a provisioning document is authenticated by its SEC
 * method — the IMSI from the SIM, the user's PIN through the UI handler (X-MS-DESC is the prompt)
 * — then decoded and installed. A wrong MAC, an unusable document or a refused prompt leaves the
 * tree as it was. Accounts provisioned with INIT are handed to `onInit` to start their session.
 */
import { AlertCode } from '../../core/constants/alert.js';
import type { DecodeLimits } from '../../core/codec/element.js';
import { DmError, ErrorCode } from '../../core/errors.js';
import { decodeCpPush, isCpContentType, WM_CFGMGR_APP_ID, type DecodedCpPush } from '../../core/provisioning/cp-push.js';
import { needsUserPin, verifyCpMac, type CpSecMethod } from '../../core/provisioning/cp-security.js';
import { decodeCpWbxml } from '../../core/provisioning/cp-wbxml.js';
import { decodeCpXml } from '../../core/provisioning/cp-xml.js';
import { decodeWapPush, PDU_TYPE_PUSH } from '../../core/notification/wap-push.js';
import { noUiHandler, type UiHandler } from '../session/ui-handler.js';
import type { ManagementTree } from '../tree/management-tree.js';
import { installCpDocument, rolesForSecurity, type InstalledAccount } from './cp-install.js';
import type { DmAccLayout } from './w7-account.js';

/** Options of {@link receiveCpPush}. */
export interface CpReceiverOptions {
  readonly tree: ManagementTree;
  /** Asks the user for the PIN (1102, numeric, masked) and to accept a network-PIN document (1101). */
  readonly ui?: UiHandler;
  /** The SIM's IMSI, for NETWPIN and USERNETWPIN. */
  readonly imsi?: string;
  /** DMAcc layout of new accounts (default `1.2`). */
  readonly layout?: DmAccLayout;
  /** DMAcc mount (default `./SyncML/DMAcc`). */
  readonly mount?: string;
  /** Install documents pushed without SEC/MAC (default false: they are refused). */
  readonly acceptUnsigned?: boolean;
  /** Roles a document gets by its security method (default {@link rolesForSecurity}). */
  readonly rolesFor?: (sec: CpSecMethod | undefined) => number;
  /** Called for each installed account that carries INIT. */
  readonly onInit?: (account: InstalledAccount) => void;
  readonly limits?: DecodeLimits;
}

/** The outcome of one provisioning push. */
export type CpPushVerdict =
  | { readonly accepted: true; readonly sec?: CpSecMethod; readonly accounts: readonly InstalledAccount[] }
  | { readonly accepted: false; readonly reason: string; readonly code: ErrorCode };

/**
 * True when the bytes are a WSP push meant for Client Provisioning (cheap: headers only): its
 * content type is a provisioning document (0x35 / 0x36), or it is addressed to the Windows
 * Mobile configuration manager (`x-wap-microsoft:cfgmgr.ua`, reference §1.12). A push to that
 * application with another content type is then refused by {@link receiveCpPush}, not taken
 * for a Package 0.
 */
export function isCpPush(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 3 || bytes[1] !== PDU_TYPE_PUSH) return false;
  try {
    const push = decodeWapPush(bytes);
    const app = push.applicationId;
    return isCpContentType(push.contentType) || (typeof app === 'string' && app.trim().toLowerCase() === WM_CFGMGR_APP_ID);
  } catch {
    return false;
  }
}

/** Authenticates, decodes and installs a provisioning push. Never throws for bad input. */
export async function receiveCpPush(bytes: Uint8Array, options: CpReceiverOptions): Promise<CpPushVerdict> {
  let push: DecodedCpPush;
  try {
    push = decodeCpPush(bytes);
  } catch (err) {
    return refuse(err, 'malformed provisioning push');
  }
  const sec = push.sec;
  if (sec === undefined) {
    if (options.acceptUnsigned !== true) return { accepted: false, reason: 'unsigned provisioning document refused (no SEC/MAC)', code: ErrorCode.ERR_CP_SECURITY };
  } else if (typeof sec !== 'string' || !['NETWPIN', 'USERPIN', 'USERNETWPIN', 'USERPINMAC'].includes(sec)) {
    return { accepted: false, reason: `unknown security method ${String(sec)}`, code: ErrorCode.ERR_CP_SECURITY };
  }
  const method = sec as CpSecMethod | undefined;
  if (method !== undefined) {
    const checked = await authenticate(push, method, options);
    if (checked !== undefined) return checked;
  }
  try {
    const doc = push.format === 'xml' ? decodeCpXml(push.body, options.limits) : decodeCpWbxml(push.body, options.limits);
    const accounts = installCpDocument(options.tree, doc, {
      messageRoles: (options.rolesFor ?? rolesForSecurity)(method),
      ...(options.layout === undefined ? {} : { layout: options.layout }),
      ...(options.mount === undefined ? {} : { mount: options.mount }),
    });
    for (const a of accounts) if (a.init) options.onInit?.(a);
    return method === undefined ? { accepted: true, accounts } : { accepted: true, sec: method, accounts };
  } catch (err) {
    return refuse(err, 'provisioning document refused');
  }
}

/** Checks the MAC; undefined when it is good, else the refusal. */
async function authenticate(push: DecodedCpPush, sec: CpSecMethod, options: CpReceiverOptions): Promise<CpPushVerdict | undefined> {
  const ui = options.ui ?? noUiHandler;
  const usesImsi = sec === 'NETWPIN' || sec === 'USERNETWPIN';
  if (usesImsi && (options.imsi === undefined || options.imsi === '')) {
    return { accepted: false, reason: `${sec} document refused: the device has no IMSI`, code: ErrorCode.ERR_CP_SECURITY };
  }
  let userPin: string | undefined;
  if (needsUserPin(sec)) {
    const answer = await ui.prompt({
      code: AlertCode.TEXT_INPUT,
      text: push.description ?? 'Enter the PIN for the new settings',
      choices: [],
      options: { inputType: 'N', echoType: 'P', maxLen: 40 },
    });
    if (answer.outcome !== 'ok' || answer.input === undefined || answer.input === '') {
      return { accepted: false, reason: `${sec} document refused: no PIN entered (${answer.outcome})`, code: ErrorCode.ERR_CP_SECURITY };
    }
    userPin = answer.input;
  } else {
    // A document signed with the network PIN alone is still shown for accept/reject (reference §1.12).
    const answer = await ui.prompt({ code: AlertCode.CONFIRM_OR_REJECT, text: push.description ?? 'Install settings sent by the network operator?', choices: [], options: {} });
    if (answer.outcome !== 'ok' && answer.outcome !== 'unsupported') {
      return { accepted: false, reason: `NETWPIN document refused by the user (${answer.outcome})`, code: ErrorCode.ERR_CP_SECURITY };
    }
  }
  try {
    const ok = verifyCpMac({
      sec, document: push.body, mac: push.mac,
      ...(options.imsi === undefined ? {} : { imsi: options.imsi }),
      ...(userPin === undefined ? {} : { userPin }),
    });
    if (!ok) return { accepted: false, reason: `${sec} MAC check failed: wrong PIN or altered document`, code: ErrorCode.ERR_CP_MAC_INVALID };
  } catch (err) {
    return refuse(err, `${sec} MAC check impossible`);
  }
  return undefined;
}

function refuse(err: unknown, what: string): CpPushVerdict {
  if (err instanceof DmError) return { accepted: false, reason: `${what}: ${err.message}`, code: err.code };
  throw err;
}
