/**
 * Typed model of a SyncML DM message, DM 1.1.2 (SyncML 1.1) and DM 1.2 (SyncML 1.2).
 * Plain readonly data; commands are a discriminated union on `kind` (house style §5).
 * Element names and meanings follow OMA-TS-DM_RepPro.
 */
import type { DmElement } from '../codec/element.js';

/** SyncML representation version (VerDTD): `1.1` for DM 1.1.2, `1.2` for DM 1.2. */
export type VerDtd = '1.1' | '1.2';

/** Protocol version strings carried in VerProto. */
export const VerProto = { DM_11: 'DM/1.1', DM_12: 'DM/1.2' } as const;

/** Meta information (MetInf namespace). Unknown children are kept in `extensions`. */
export interface Meta {
  readonly format?: string;
  readonly type?: string;
  readonly mark?: string;
  readonly size?: number;
  readonly nextNonce?: string;
  readonly maxMsgSize?: number;
  readonly maxObjSize?: number;
  readonly version?: string;
  readonly emi?: readonly string[];
  /** Other MetInf or vendor elements (e.g. `msft:AccessRole`), in order. */
  readonly extensions?: readonly DmElement[];
}

/** Target or Source of a header or item. */
export interface Location {
  readonly locUri: string;
  readonly locName?: string;
}

/** Credentials (SyncHdr Cred): Meta Type/Format and Data. */
export interface Cred {
  readonly meta?: Meta;
  readonly data: string;
}

/** Challenge inside a Status (401/407, or NextNonce on 200/212). */
export interface Chal {
  readonly meta: Meta;
}

/** Item Data: text, raw bytes (WBXML OPAQUE of a `bin` item), or embedded markup (TNDS, DevInf). */
export type ItemData = string | Uint8Array | DmElement;

/** One Item of a command. */
export interface Item {
  readonly target?: Location;
  readonly source?: Location;
  readonly meta?: Meta;
  readonly data?: ItemData;
  /** Large object: more chunks follow. */
  readonly moreData?: boolean;
  /** Vendor children the model does not name (kept for round trips). */
  readonly extensions?: readonly DmElement[];
}

/** SyncHdr. */
export interface SyncHdr {
  readonly verDtd: VerDtd;
  readonly verProto: string;
  readonly sessionId: string;
  readonly msgId: number;
  readonly target: Location;
  readonly source: Location;
  readonly respUri?: string;
  readonly noResp?: boolean;
  readonly cred?: Cred;
  readonly meta?: Meta;
}

interface CommandBase {
  /** CmdID; `undefined` when the peer left it out (answered with 400, blank CmdRef). */
  readonly cmdId: number | undefined;
  readonly noResp?: boolean;
}

/** Add / Replace / Delete / Copy / Get / Exec share this shape. */
interface ItemCommand extends CommandBase {
  readonly meta?: Meta;
  readonly items: readonly Item[];
}

/** Add: create nodes. */
export interface AddCommand extends ItemCommand { readonly kind: 'Add'; }
/** Replace: change node values or properties. */
export interface ReplaceCommand extends ItemCommand { readonly kind: 'Replace'; }
/** Delete: remove nodes (whole subtree). */
export interface DeleteCommand extends ItemCommand { readonly kind: 'Delete'; }
/** Copy: copy a leaf (Item Source → Target). */
export interface CopyCommand extends ItemCommand { readonly kind: 'Copy'; }
/** Get: read nodes; results come back in Results. */
export interface GetCommand extends ItemCommand { readonly kind: 'Get'; }
/** Exec: run an executable node; Correlator ties a later 1226 to it. */
export interface ExecCommand extends ItemCommand { readonly kind: 'Exec'; readonly correlator?: string; }

/** Alert: Data is the alert code; Items carry alert content. */
export interface AlertCommand extends CommandBase {
  readonly kind: 'Alert';
  readonly data: number;
  readonly correlator?: string;
  readonly items: readonly Item[];
}

/** Atomic: all-or-nothing group. */
export interface AtomicCommand extends CommandBase {
  readonly kind: 'Atomic';
  readonly meta?: Meta;
  readonly commands: readonly Command[];
}

/** Sequence: ordered group. */
export interface SequenceCommand extends CommandBase {
  readonly kind: 'Sequence';
  readonly meta?: Meta;
  readonly commands: readonly Command[];
}

/** Status: the response to one command (or to the SyncHdr when cmdRef is 0). */
export interface StatusCommand extends CommandBase {
  readonly kind: 'Status';
  readonly msgRef: number;
  /** CmdID of the command answered (0 = SyncHdr); undefined = blank CmdRef, answering a command that had no CmdID. */
  readonly cmdRef: number | undefined;
  readonly cmd: string;
  readonly targetRefs?: readonly string[];
  readonly sourceRefs?: readonly string[];
  readonly cred?: Cred;
  readonly chal?: Chal;
  readonly data: number;
  readonly items?: readonly Item[];
}

/** Results: data returned by a Get. */
export interface ResultsCommand extends CommandBase {
  readonly kind: 'Results';
  readonly msgRef?: number;
  readonly cmdRef: number;
  readonly meta?: Meta;
  readonly targetRefs?: readonly string[];
  readonly sourceRefs?: readonly string[];
  readonly items: readonly Item[];
}

/**
 * An element under SyncBody/Atomic/Sequence that is not a DM command (e.g. a DS `Sync`).
 * Kept so the receiver can answer it with 400 as the protocol requires.
 */
export interface UnknownCommand extends CommandBase {
  readonly kind: 'Unknown';
  readonly name: string;
  readonly element: DmElement;
}

/** Every command a DM message can hold. */
export type Command =
  | AddCommand | ReplaceCommand | DeleteCommand | CopyCommand | GetCommand | ExecCommand
  | AlertCommand | AtomicCommand | SequenceCommand | StatusCommand | ResultsCommand | UnknownCommand;

/** Command kind discriminator. */
export type CommandKind = Command['kind'];

/** SyncBody: commands in order, and whether the package ends here. */
export interface SyncBody {
  readonly commands: readonly Command[];
  readonly final: boolean;
}

/** A complete SyncML DM message. */
export interface SyncMLMessage {
  readonly header: SyncHdr;
  readonly body: SyncBody;
}
