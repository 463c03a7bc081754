/**
 * Firmware Update management object (`./FwUpdate/<pkg>`, urn:oma:mo:oma-fumo:1.0; reference
 * §1.11, §2.3). Exec on Download, Update or DownloadAndUpdate answers 202, runs in the background
 * through a `FirmwareUpdater`, walks the State node through the FUMO states and ends with a
 * Generic Alert 1226 carrying the result code. The running job is persisted (plug-in data), so a
 * restarted device resumes a download or fails an interrupted install cleanly.
 */
import { AlertMark } from '../../core/constants/alert.js';
import { FumoAlertType, FumoResult, FumoState, isFumoSuccess } from '../../core/constants/fumo.js';
import { MoId } from '../../core/constants/mo-ids.js';
import { Status } from '../../core/constants/status.js';
import { SecurityRole } from '../../core/tree/security-role.js';
import { nodeName, normalizeUri, parentUri } from '../../core/tree/uri.js';
import type { AccessType, NodeDescription, PluginContext, PluginExecRequest, TreeChange, TreePlugin } from '../tree/plugin.js';
import type { TreeResult } from '../tree/tree-api.js';
import { DEVDETAIL_URI } from './devdetail.js';
import { DEVINFO_URI } from './devinfo.js';
import { type FirmwareDeviceInfo, type FirmwareUpdater, isFumoFailure } from './fumo-updater.js';

/** Mount URI of FUMO on Windows Mobile (FwUpdate CSP). */
export const FUMO_URI = './FwUpdate';

/** The three executable operations. */
export type FumoOperation = 'Download' | 'Update' | 'DownloadAndUpdate';

const ALERT_TYPE: Readonly<Record<FumoOperation, string>> = {
  Download: FumoAlertType.DOWNLOAD,
  Update: FumoAlertType.UPDATE,
  DownloadAndUpdate: FumoAlertType.DOWNLOAD_AND_UPDATE,
};

/** Options of {@link createFumoPlugin}. */
export interface FumoPluginOptions {
  /** Downloads and installs packages. */
  readonly updater: FirmwareUpdater;
  /** Mount URI (default `./FwUpdate`). */
  readonly mount?: string;
  /** WM requires a Correlator on the Exec (then an Exec without one is 400). Default false. */
  readonly requireCorrelator?: boolean;
  /** Keep the package after a successful update (State 90 instead of 100). */
  readonly keepPackage?: boolean;
  /** Role mask of the sub-tree (role mode). */
  readonly roleMask?: number;
  /** ACL of the mount node. */
  readonly acl?: string;
}

/** A running operation, persisted as plug-in data under the package URI. */
interface FumoJob {
  readonly op: FumoOperation;
  readonly node: string;
  readonly correlator?: string;
}

const RW: readonly AccessType[] = ['Add', 'Delete', 'Get', 'Replace'];
const leaf = (name: string): NodeDescription => ({ name, format: 'chr', access: RW, occurrence: 'ZeroOrOne' });
// FUMO DDF: PkgURL / PkgData are Replace-only, so a Replace creates them (upsert); WM servers Add them.
const url: NodeDescription = { name: 'PkgURL', format: 'chr', access: ['Add', 'Get', 'Replace'], upsert: true };
const opNode = (name: FumoOperation, children: readonly NodeDescription[]): NodeDescription =>
  ({ name, format: 'node', access: ['Add', 'Get', 'Exec'], occurrence: 'ZeroOrOne', children });

/** Description of one FUMO package node `<x>`. */
export const FUMO_PACKAGE_DESCRIPTION: NodeDescription = {
  name: '<x>', format: 'node', access: RW, type: MoId.FUMO,
  children: [
    leaf('PkgName'), leaf('PkgVersion'),
    opNode('Download', [url]),
    opNode('Update', [{ name: 'PkgData', format: 'bin', access: ['Add', 'Replace'], upsert: true }]),
    opNode('DownloadAndUpdate', [url]),
    { name: 'State', format: 'int', access: ['Get'], autoCreate: true, defaultValue: String(FumoState.IDLE) },
    { name: 'Ext', format: 'node', access: RW, occurrence: 'ZeroOrOne', open: true },
  ],
};

/** The FUMO plug-in. */
export function createFumoPlugin(options: FumoPluginOptions): TreePlugin {
  const mount = options.mount ?? FUMO_URI;
  return {
    id: 'fumo',
    mount,
    description: {
      name: nodeName(normalizeUri(mount)), format: 'node', access: ['Add', 'Get'],
      roleMask: options.roleMask ?? SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.OPERATOR_TPS,
      ...(options.acl !== undefined ? { acl: options.acl } : {}),
      children: [FUMO_PACKAGE_DESCRIPTION],
    },
    beforeChange: (ctx, change) => guardChange(ctx, change),
    afterChange: (ctx, change) => {
      // A package written over DM (large object) is downloaded: State 40.
      if (nodeName(change.uri) === 'PkgData' && change.kind !== 'delete') setState(ctx, packageOf(change.uri, 2), FumoState.DOWNLOAD_COMPLETE);
    },
    exec: (ctx, request) => startJob(ctx, request, options),
    resume: (ctx) => {
      for (const pkg of ctx.dataKeys()) resumeJob(ctx, pkg, options);
    },
  };
}

/** URI `levels` above a node. */
function packageOf(uri: string, levels: number): string {
  let u = uri;
  for (let i = 0; i < levels; i++) u = parentUri(normalizeUri(u)) ?? '.';
  return u;
}

function readState(ctx: PluginContext, pkg: string): number {
  return Number(ctx.tree.readValue(`${pkg}/State`) ?? FumoState.IDLE);
}

function setState(ctx: PluginContext, pkg: string, state: number): void {
  if (ctx.tree.exists(pkg)) ctx.tree.writeValue(`${pkg}/State`, String(state), 'int');
}

function busy(state: number): boolean {
  return state === FumoState.DOWNLOAD_PROGRESSING || state === FumoState.UPDATE_PROGRESSING;
}

function guardChange(ctx: PluginContext, change: TreeChange): number | undefined {
  // Nothing may be changed or deleted under a package while its operation runs (a choice, see docs).
  const rel = change.uri.slice(ctx.mount.length + 1).split('/');
  const pkg = `${ctx.mount}/${rel[0] ?? ''}`;
  if (rel.length >= 1 && ctx.tree.exists(pkg) && busy(readState(ctx, pkg))) return Status.COMMAND_NOT_ALLOWED;
  return undefined;
}

function startJob(ctx: PluginContext, request: PluginExecRequest, options: FumoPluginOptions): TreeResult {
  const op = nodeName(request.node) as FumoOperation;
  if (!(op in ALERT_TYPE)) return { status: Status.COMMAND_NOT_ALLOWED };
  const pkg = packageOf(request.node, 1);
  if (busy(readState(ctx, pkg))) return { status: Status.COMMAND_NOT_ALLOWED };
  if (options.requireCorrelator === true && request.correlator === undefined) return { status: Status.BAD_REQUEST };
  if (op !== 'Update' && ctx.tree.readValue(`${request.node}/PkgURL`) === undefined) return { status: Status.NOT_FOUND };
  const job: FumoJob = { op, node: request.node, ...(request.correlator !== undefined ? { correlator: request.correlator } : {}) };
  ctx.setData(pkg, JSON.stringify(job));
  // The state moves before the 202 goes out, so a second Exec or a Get of State sees the job.
  setState(ctx, pkg, op === 'Update' ? FumoState.UPDATE_PROGRESSING : FumoState.DOWNLOAD_PROGRESSING);
  ctx.background(runJob(ctx, { pkg, job, options, stage: op === 'Update' ? 'install' : 'download' }));
  return { status: Status.ACCEPTED_FOR_PROCESSING };
}

function resumeJob(ctx: PluginContext, pkg: string, options: FumoPluginOptions): void {
  const text = ctx.getData(pkg);
  if (text === undefined) return;
  const job = JSON.parse(text) as FumoJob;
  if (!ctx.tree.exists(pkg)) {
    ctx.setData(pkg, undefined);
    return;
  }
  const state = readState(ctx, pkg);
  if (state === FumoState.DOWNLOAD_PROGRESSING) {
    ctx.background(runJob(ctx, { pkg, job, options, stage: 'download' }));
  } else if (state === FumoState.UPDATE_PROGRESSING) {
    // The install was interrupted by the restart: its outcome is unknown, so it failed (no retry, FUMO §1.11).
    const hasData = ctx.tree.exists(`${pkg}/Update/PkgData`);
    finish(ctx, { pkg, job, state: hasData ? FumoState.UPDATE_FAILED_HAVE_DATA : FumoState.UPDATE_FAILED_NO_DATA, code: FumoResult.UPDATE_FAILED });
  } else if (job.op === 'DownloadAndUpdate' && (state === FumoState.DOWNLOAD_COMPLETE || state === FumoState.READY_TO_UPDATE)) {
    ctx.background(runJob(ctx, { pkg, job, options, stage: 'install' }));
  } else if (job.op === 'Download' && state === FumoState.DOWNLOAD_COMPLETE) {
    finish(ctx, { pkg, job, state, code: FumoResult.SUCCESSFUL });
  } else {
    ctx.setData(pkg, undefined);
  }
}

async function runJob(
  ctx: PluginContext,
  run: { pkg: string; job: FumoJob; options: FumoPluginOptions; stage: 'download' | 'install' },
): Promise<void> {
  const { pkg, job, options } = run;
  const dataUri = `${pkg}/Update/PkgData`;
  const r = (uri: string): string => ctx.tree.readValue(uri) ?? '';
  // Read when needed: an install sees the firmware a download-and-update started from.
  const device = (): FirmwareDeviceInfo => ({
    devId: r(`${DEVINFO_URI}/DevId`), man: r(`${DEVINFO_URI}/Man`), mod: r(`${DEVINFO_URI}/Mod`),
    fwV: r(`${DEVDETAIL_URI}/FwV`), swV: r(`${DEVDETAIL_URI}/SwV`),
  });
  try {
    if (run.stage === 'download') {
      // State is already 30: set by the Exec, or persisted when the job is resumed.
      const result = await options.updater.download(r(`${job.node}/PkgURL`), undefined, device());
      if (!ctx.tree.exists(pkg)) return ctx.setData(pkg, undefined);
      if (isFumoFailure(result)) return finish(ctx, { pkg, job, state: FumoState.DOWNLOAD_FAILED, code: result.resultCode });
      ctx.tree.writeBytes(dataUri, result);
      if (job.op === 'Download') return finish(ctx, { pkg, job, state: FumoState.DOWNLOAD_COMPLETE, code: FumoResult.SUCCESSFUL });
      setState(ctx, pkg, FumoState.READY_TO_UPDATE);
    }
    const data = ctx.tree.readBytes(dataUri);
    if (data === undefined || data.byteLength === 0) {
      // WM: 400 "client cannot find the required package".
      return finish(ctx, { pkg, job, state: FumoState.UPDATE_FAILED_NO_DATA, code: FumoResult.CLIENT_ERROR });
    }
    setState(ctx, pkg, FumoState.UPDATE_PROGRESSING);
    const outcome = await options.updater.install(data, device());
    if (!ctx.tree.exists(pkg)) return ctx.setData(pkg, undefined);
    if (!outcome.ok) return finish(ctx, { pkg, job, state: FumoState.UPDATE_FAILED_HAVE_DATA, code: outcome.resultCode });
    if (outcome.newFwV !== undefined) ctx.tree.writeValue(`${DEVDETAIL_URI}/FwV`, outcome.newFwV);
    if (outcome.newSwV !== undefined) ctx.tree.writeValue(`${DEVDETAIL_URI}/SwV`, outcome.newSwV);
    if (options.keepPackage !== true) ctx.tree.deleteNode(dataUri);
    const state = options.keepPackage === true ? FumoState.UPDATE_SUCCESSFUL_HAVE_DATA : FumoState.UPDATE_SUCCESSFUL_NO_DATA;
    return finish(ctx, { pkg, job, state, code: outcome.resultCode });
  } catch {
    const hasData = ctx.tree.exists(dataUri);
    const failedState = run.stage === 'download' && !hasData ? FumoState.DOWNLOAD_FAILED
      : hasData ? FumoState.UPDATE_FAILED_HAVE_DATA : FumoState.UPDATE_FAILED_NO_DATA;
    return finish(ctx, { pkg, job, state: failedState, code: FumoResult.UNDEFINED_ERROR });
  }
}

/**
 * Ends a job in one synchronous step — final State, Generic Alert 1226, job record removed — so
 * a persisted tree never holds a finished job without its alert (reference §1.11: the client MUST
 * send the alert and MUST NOT retry afterwards).
 */
function finish(ctx: PluginContext, end: { pkg: string; job: FumoJob; state: number; code: number }): void {
  setState(ctx, end.pkg, end.state);
  const ok = isFumoSuccess(end.code);
  const downloadFailure = end.state === FumoState.DOWNLOAD_FAILED;
  ctx.alerts.queueGenericAlert({
    source: end.job.node,
    type: ALERT_TYPE[end.job.op],
    format: 'int',
    mark: ok ? AlertMark.INFORMATIONAL : downloadFailure ? AlertMark.WARNING : AlertMark.CRITICAL,
    data: String(end.code),
    ...(end.job.correlator !== undefined ? { correlator: end.job.correlator } : {}),
  });
  ctx.setData(end.pkg, undefined);
}
