/**
 * The device agent: one device's management tree, DM accounts and pending alerts, and the
 * session engine that serves them. It starts client-initiated sessions, answers Package 0
 * triggers (raw or WAP-push framed), installs Client Provisioning bootstrap documents pushed to
 * the same port (and starts the session their INIT asks for), retries with DM 1.1.2 when a 1.2
 * attempt fails (BACKCOMPATRETRYDISABLED unset) and keeps undelivered alerts for the next session.
 *
 * Idle cost is a handful of references: sessions, sockets and timers exist only while used.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import { AuthError, ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import { isCpPush, receiveCpPush, type CpPushVerdict, type CpReceiverOptions } from '../provisioning/cp-receiver.js';
import { ManagementTree } from '../tree/management-tree.js';
import type { PluginTree } from '../tree/plugin.js';
import type { DeviceTree } from '../tree/tree-api.js';
import { DmClientSession } from '../session/dm-session.js';
import { silentLogger, type SessionEnd, type SessionLogger } from '../session/session-types.js';
import { noUiHandler, type UiHandler } from '../session/ui-handler.js';
import { RETRYABLE_HTTP_STATUSES, type Sleep } from '../transport/retry.js';
import type { DmTransport } from '../transport/transport.js';
import { retryPolicyOf, type AccountSource, type AgentAccount } from './agent-account.js';
import { PendingAlertQueue } from './pending-alerts.js';
import { listenForPush, type ListenOptions, type PushListener } from './push-listener.js';
import { checkTrigger, type PushVerdict } from './push-trigger.js';
import { runSession, type RunResult } from './session-runner.js';
import { treeAccountSource } from './tree-accounts.js';

/**
 * Client Provisioning on the agent's push port (OMA-WAP-TS-ProvBoot §5; reference §1.12): the
 * receiver's options, with the agent's tree and UI as defaults.
 */
export interface AgentProvisioningOptions extends Omit<CpReceiverOptions, 'tree' | 'ui' | 'onInit'> {
  /** Tree the accounts are installed in (default the agent's tree, which must be a ManagementTree). */
  readonly tree?: ManagementTree;
  /** Asks for the PIN (1102) and confirms NETWPIN documents (1101); default the agent's `ui`. */
  readonly ui?: UiHandler;
  /** Sees each provisioning verdict (e.g. to save the tree). */
  readonly onProvisioning?: (verdict: CpPushVerdict) => void;
}

/** How the agent judged a push: a Package 0 trigger, or a provisioning document. */
export type AgentPushVerdict =
  | (PushVerdict & { readonly via: 'package0' })
  | (CpPushVerdict & { readonly via: 'provisioning' });

/** Options of a {@link DeviceAgent}. */
export interface DeviceAgentOptions {
  readonly tree: DeviceTree;
  /** Where accounts come from; default the DMAcc accounts stored in `tree` (a ManagementTree). */
  readonly accounts?: AccountSource;
  readonly transport: DmTransport;
  readonly ui?: UiHandler;
  /**
   * Client Provisioning pushes (content type 0x35/0x36, or application x-wap-microsoft:cfgmgr.ua).
   * Default: on (no IMSI, PIN prompts through `ui`) when `tree` is a ManagementTree. `false`
   * turns it off; such pushes are then ignored like any push that is not a Package 0.
   * Installed accounts are used only when the accounts come from the tree (the default).
   */
  readonly provisioning?: AgentProvisioningOptions | false;
  /** Pending alerts (default an in-memory queue that starts a session when an alert arrives). */
  readonly alerts?: PendingAlertQueue;
  /** Source LocURI; default ./DevInfo/DevId. */
  readonly deviceId?: string;
  /** Overrides the accounts' DEFAULTENCODING. */
  readonly encoding?: Encoding;
  /** Overrides the accounts' PROTOVER. */
  readonly verDtd?: '1.1' | '1.2';
  readonly maxMsgSize?: number;
  readonly maxObjSize?: number;
  readonly sleep?: Sleep;
  readonly random?: (n: number) => Uint8Array;
  readonly clock?: () => number;
  readonly logger?: SessionLogger;
}

/** What {@link DeviceAgent.startSession} reports. */
export interface SessionReport {
  readonly ok: boolean;
  readonly end: SessionEnd | 'unreachable' | 'http-error';
  /** One line for the user when `ok` is false. */
  readonly reason?: string;
  readonly serverId: string;
  readonly sessionId: string;
  readonly verDtd: '1.1' | '1.2';
  readonly messagesSent: number;
  readonly commandsExecuted: number;
  readonly durationMs: number;
  /** HTTP status when `end` is `http-error`. */
  readonly httpStatus?: number;
}

/** Options of {@link DeviceAgent.startSession}. */
export interface StartSessionOptions {
  /** The verified Package 0 this session answers. */
  readonly trigger?: { readonly sessionId: number; readonly serverId: string; readonly nonceResync?: boolean };
  /** Which account to use (default the trigger's server, else the first account). */
  readonly serverId?: string;
  readonly sessionId?: string;
}

/** One managed device. */
export class DeviceAgent {
  readonly #o: DeviceAgentOptions;
  #alerts: PendingAlertQueue | undefined;
  #running: Promise<unknown> | undefined;
  #rerun = false;
  #lastTrigger: { serverId: string; sessionId: number } | undefined;

  constructor(options: DeviceAgentOptions) {
    if (options.accounts === undefined && !isPluginTree(options.tree)) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'DeviceAgent needs `accounts` unless its tree stores the DM accounts (a ManagementTree)');
    }
    const p = options.provisioning;
    if (p !== undefined && p !== false && p.tree === undefined && !(options.tree instanceof ManagementTree)) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'DeviceAgent `provisioning` needs a ManagementTree to install accounts in');
    }
    this.#o = options;
    this.#alerts = options.alerts;
  }

  /** The account source (built on demand, so an idle agent holds no extra objects). */
  get #accounts(): AccountSource {
    return this.#o.accounts ?? treeAccountSource(this.#o.tree as DeviceTree & PluginTree);
  }

  /** The device's tree. */
  get tree(): DeviceTree {
    return this.#o.tree;
  }

  /** The pending-alert queue; give it to management objects as their AlertSink. */
  get alerts(): PendingAlertQueue {
    this.#alerts ??= new PendingAlertQueue({ onQueued: () => this.#deliverSoon() });
    return this.#alerts;
  }

  /** Runs one session (sessions of one device never overlap: a second call waits for the first). */
  async startSession(options: StartSessionOptions = {}): Promise<SessionReport> {
    const previous = this.#running;
    const run = (async () => {
      if (previous !== undefined) await previous.catch(() => undefined);
      return this.#session(options);
    })();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  /**
   * Handles one push and runs the session(s) it asks for. A Package 0 (raw, or WAP-push framed)
   * that is malformed, from an unknown server, fails its digest, repeats the last session id, or
   * is declined by the user is ignored (and logged). A provisioning document is authenticated and
   * installed (see {@link AgentProvisioningOptions}); each account it creates with INIT gets a
   * session, and `report` is the first of them. A refused document changes nothing.
   */
  async handlePush(bytes: Uint8Array): Promise<AgentPushVerdict & { report?: SessionReport }> {
    const { sessions, ...verdict } = await this.acceptPush(bytes);
    const reports = await Promise.all(sessions);
    return reports[0] === undefined ? verdict : { ...verdict, report: reports[0] };
  }

  /** Like {@link handlePush}, but resolves once the push is judged; the sessions run on. */
  async acceptPush(bytes: Uint8Array): Promise<AgentPushVerdict & { sessions: readonly Promise<SessionReport>[] }> {
    const provisioning = this.#o.provisioning;
    const cpTree = provisioning === false ? undefined : (provisioning?.tree ?? (this.#o.tree instanceof ManagementTree ? this.#o.tree : undefined));
    if (provisioning !== false && cpTree !== undefined && isCpPush(bytes)) return this.#acceptProvisioning(bytes, cpTree, provisioning ?? {});
    const verdict = await checkTrigger(bytes, {
      accounts: this.#accounts.list(),
      ui: this.#o.ui ?? noUiHandler,
      last: this.#lastTrigger,
    });
    const log = this.#o.logger ?? silentLogger;
    if (!verdict.accepted) {
      log.info(`Package 0 ignored: ${verdict.reason}`);
      return { ...verdict, via: 'package0', sessions: [] };
    }
    this.#lastTrigger = { serverId: verdict.serverId, sessionId: verdict.sessionId };
    const session = this.startSession({
      trigger: { sessionId: verdict.sessionId, serverId: verdict.serverId, nonceResync: verdict.nonceResync },
    });
    return { ...verdict, via: 'package0', sessions: [session] };
  }

  async #acceptProvisioning(bytes: Uint8Array, tree: ManagementTree, p: AgentProvisioningOptions): Promise<CpPushVerdict & { via: 'provisioning'; sessions: Promise<SessionReport>[] }> {
    const log = this.#o.logger ?? silentLogger;
    const sessions: Promise<SessionReport>[] = [];
    const { onProvisioning, ui, ...receiver } = p;
    const verdict = await receiveCpPush(bytes, {
      ...receiver,
      tree,
      ui: ui ?? this.#o.ui ?? noUiHandler,
      // w7 INIT: start a session right after the document is approved (reference §5, w7 parms).
      onInit: (account) => {
        const session = this.startSession({ serverId: account.serverId });
        // Whoever gets `sessions` may not watch them; a failure must not become an unhandled rejection.
        session.catch((err: unknown) => log.warn(`INIT session with ${account.serverId} failed: ${(err as Error).message}`));
        sessions.push(session);
      },
    });
    if (verdict.accepted) log.info(`provisioning document installed: ${verdict.accounts.map((a) => a.serverId).join(', ') || 'no DM account'}`);
    else log.info(`provisioning push refused: ${verdict.reason}`);
    onProvisioning?.(verdict);
    return { ...verdict, via: 'provisioning', sessions };
  }

  /**
   * Listens for pushes (Package 0 and provisioning documents) on a local UDP or HTTP port
   * (standing in for SMS / WAP push) and, with `checkInIntervalMs`, starts a client-initiated
   * session periodically (skipped while the device has no DM account, e.g. before its bootstrap).
   * `onSession` sees every session the listener started.
   */
  listen(options: ListenOptions & { onSession?: (report: SessionReport) => void }): Promise<PushListener> {
    const log = this.#o.logger ?? silentLogger;
    const seen = (p: Promise<SessionReport>): Promise<SessionReport> =>
      p.then((r) => {
        options.onSession?.(r);
        return r;
      });
    return listenForPush({
      handlePush: async (bytes) => {
        const v = await this.acceptPush(bytes);
        for (const s of v.sessions) void seen(s).catch((err: unknown) => log.warn(`session failed: ${(err as Error).message}`));
        return v.accepted ? { accepted: true } : { accepted: false, reason: v.reason };
      },
      checkIn: async () => {
        if (this.#accounts.list().length === 0) {
          log.debug('check-in skipped: the device has no DM account yet');
          return undefined;
        }
        return seen(this.startSession());
      },
      onError: (err) => log.warn(`listener: ${(err as Error).message}`),
    }, options);
  }

  async #session(options: StartSessionOptions): Promise<SessionReport> {
    const account = this.#account(options.serverId ?? options.trigger?.serverId);
    const verDtd = this.#o.verDtd ?? account.protoVer ?? '1.2';
    let report = await this.#attempt(account, verDtd, options);
    // BACKCOMPATRETRYDISABLED unset: a failed 1.2 attempt is retried once as DM 1.1.2 (reference §4).
    if (verDtd === '1.2' && account.backCompatRetryDisabled !== true && fellBack(report)) {
      (this.#o.logger ?? silentLogger).info(`DM 1.2 attempt failed (${report.reason ?? report.end}); retrying with DM 1.1.2`);
      report = await this.#attempt(this.#account(account.serverId), '1.1', options);
    }
    return report;
  }

  async #attempt(account: AgentAccount, verDtd: '1.1' | '1.2', options: StartSessionOptions): Promise<SessionReport> {
    const o = this.#o;
    const clock = o.clock ?? Date.now;
    const started = clock();
    const alerts = this.#alerts?.pending() ?? [];
    const session = new DmClientSession({
      tree: o.tree,
      account,
      ui: o.ui ?? noUiHandler,
      alerts,
      verDtd,
      encoding: o.encoding ?? account.encoding ?? 'xml',
      onNonce: (kind, nonce) => this.#accounts.updateNonce(account.serverId, kind, nonce),
      ...(o.deviceId !== undefined ? { deviceId: o.deviceId } : {}),
      ...(options.trigger !== undefined ? { trigger: options.trigger } : {}),
      ...(options.sessionId !== undefined ? { sessionId: options.sessionId } : {}),
      ...(o.maxMsgSize !== undefined ? { maxMsgSize: o.maxMsgSize } : {}),
      ...(o.maxObjSize !== undefined ? { maxObjSize: o.maxObjSize } : {}),
      ...(o.random !== undefined ? { random: o.random } : {}),
      ...(o.logger !== undefined ? { logger: o.logger } : {}),
    });
    let result: RunResult;
    try {
      result = await runSession(session, {
        transport: o.transport,
        retry: retryPolicyOf(account),
        ...(o.sleep !== undefined ? { sleep: o.sleep } : {}),
      });
    } catch (err) {
      // The engine's own errors (unusable credentials, misuse) end this session, not the agent.
      if (!(err instanceof DmError)) throw err;
      return {
        serverId: account.serverId, sessionId: session.sessionId, verDtd, durationMs: clock() - started,
        ok: false, end: err instanceof AuthError ? 'auth-failed' : 'protocol-error', reason: err.message, messagesSent: 0, commandsExecuted: 0,
      };
    }
    const base = { serverId: account.serverId, sessionId: session.sessionId, verDtd, durationMs: clock() - started };
    if (result.kind === 'transport-failed') {
      const status = result.error.status;
      return {
        ...base, ok: false, end: status === undefined ? 'unreachable' : 'http-error', reason: result.error.message,
        messagesSent: result.messagesSent, commandsExecuted: 0, ...(status !== undefined ? { httpStatus: status } : {}),
      };
    }
    const out = result.outcome;
    this.#alerts?.remove(out.deliveredAlerts);
    return {
      ...base, ok: out.end === 'completed', end: out.end, ...(out.reason !== undefined ? { reason: out.reason } : {}),
      messagesSent: out.messagesSent, commandsExecuted: out.commandsExecuted,
    };
  }

  #account(serverId: string | undefined): AgentAccount {
    const list = this.#accounts.list();
    const account = serverId === undefined ? list[0] : list.find((a) => a.serverId === serverId);
    if (account === undefined) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, serverId === undefined ? 'the device has no DM account' : `the device has no DM account for server "${serverId}"`);
    }
    return account;
  }

  /** A queued alert asks for a session; bursts of alerts share one session. */
  #deliverSoon(): void {
    if (this.#rerun) return;
    this.#rerun = true;
    queueMicrotask(() => {
      this.#rerun = false;
      this.startSession().catch((err: unknown) => (this.#o.logger ?? silentLogger).warn(`alert delivery failed: ${(err as Error).message}`));
    });
  }
}

function isPluginTree(tree: DeviceTree): tree is DeviceTree & PluginTree {
  return typeof (tree as Partial<PluginTree>).listChildren === 'function' && typeof (tree as Partial<PluginTree>).readFormat === 'function';
}

/** A failed first exchange that DM 1.1.2 might fix (version refused, unreadable or refused reply). */
function fellBack(r: SessionReport): boolean {
  if (r.end === 'version-rejected') return true;
  // Retryable statuses (503…) mean "server busy", not "wrong version": their back-off already ran.
  return r.end === 'http-error' && r.messagesSent === 0 && r.httpStatus !== undefined && !RETRYABLE_HTTP_STATUSES.has(r.httpStatus);
}
