/**
 * Public surface of the device side (`omadm/client`): the management tree and its management
 * objects, the session engine, the HTTP transport with connection retry, the device agent,
 * Client Provisioning (bootstrap), firmware update (FUMO) and the device simulator. Reference
 * pages: docs/reference/device-agent.md, client-provisioning.md, fumo.md.
 */

// Management tree and management objects
export type { DeviceTree, TreeCaller, TreeResult, NodeWrite, ExecRequest, TreeSavepoint } from './tree/tree-api.js';
export type { AlertSink, GenericAlert, TreePlugin, NodeDescription } from './tree/plugin.js';
export { ManagementTree } from './tree/management-tree.js';
export { TreeTemplate, type InitialNode } from './tree/tree-template.js';
export { FileTreeStore, MemoryTreeStore, type TreeStore } from './tree/tree-store.js';
export type { TreeSnapshot } from './tree/tree-snapshot.js';
export { createStandardTree, TreeTemplateCache, type DeviceProfile, type StandardTreeOptions } from './mo/standard-tree.js';
export { readDmAccounts, updateAccountNonce, dmAccountNodes, type DmAccount, type DmAccountProfile } from './mo/dmacc-accounts.js';

// Firmware update (FUMO): the management object, the updater port, the simulator's updater
export { createFumoPlugin, FUMO_URI, FUMO_PACKAGE_DESCRIPTION, type FumoPluginOptions, type FumoOperation } from './mo/fumo.js';
export {
  HttpFirmwareUpdater, isFumoFailure, encodeSimulatedFirmware, decodeSimulatedFirmware, resultForHttpStatus,
  type FirmwareUpdater, type FirmwareDeviceInfo, type FumoFailure, type InstallOutcome, type SimulatedFirmware, type HttpFirmwareUpdaterOptions,
} from './mo/fumo-updater.js';
export { SimulatedFirmwareUpdater, type SimulatedFirmwareUpdaterOptions } from './fumo/simulated-firmware-updater.js';
export {
  FailureProfile, FailureKind, FAILURE_RESULT, DOWNLOAD_FAILURES, ALL_FAILURE_KINDS, parseFailureProfile, type FailureProfileSpec,
} from './fumo/failure-profile.js';
export {
  MemoryPartialDownloadStore, FilePartialDownloadStore, type PartialDownloadStore, type PartialDownloadState,
} from './fumo/partial-download-store.js';
export { resumableDownload, type ResumableDownloadOptions, type DownloadSuccess, type DownloadFailure } from './fumo/resumable-download.js';
export {
  parseDownloadDescriptor, isDownloadDescriptorType, installStatusReport, InstallStatus, type DownloadDescriptor,
} from './fumo/download-descriptor.js';

// Client Provisioning (bootstrap over WAP push)
export { receiveCpPush, isCpPush, type CpReceiverOptions, type CpPushVerdict } from './provisioning/cp-receiver.js';
export {
  installCpDocument, planCpInstall, rolesForSecurity, type InstalledAccount, type InstallCpOptions, type CpInstallPlan,
} from './provisioning/cp-install.js';
export {
  w7AccountNodes, w7AccountUri, syncmlAuthType, AAUTH_LEVEL_MAP, type DmAccLayout, type W7AccountOptions,
} from './provisioning/w7-account.js';
export { createPushRouter, type PushRouterAgent, type PushRouterOptions } from './provisioning/push-router.js';

// Session engine
export { DmClientSession, type DmClientSessionOptions, type OutgoingMessage, type IncomingMessage } from './session/dm-session.js';
export type {
  AuthScheme, SessionAccount, SessionCredentials, PendingAlert, NonceKind, SessionLogger, SessionEnd, SessionOutcome,
} from './session/session-types.js';
export { silentLogger } from './session/session-types.js';
export {
  noUiHandler, timeoutUiHandler, acceptingUiHandler, parseUiOptions, defaultChoices,
  type UiHandler, type UiRequest, type UiResponse, type UiOptions,
} from './session/ui-handler.js';

// Transport
export type { DmTransport, TransportRequest, TransportResponse } from './transport/transport.js';
export { TransportError } from './transport/transport.js';
export { HttpTransport, type HttpTransportOptions } from './transport/http-transport.js';
export {
  sendWithRetry, backOffDelay, realSleep, DEFAULT_RETRY_POLICY, RETRYABLE_HTTP_STATUSES,
  type RetryPolicy, type Sleep, type SendWithRetryOptions,
} from './transport/retry.js';

// Device agent
export {
  DeviceAgent, type DeviceAgentOptions, type SessionReport, type StartSessionOptions, type AgentProvisioningOptions, type AgentPushVerdict,
} from './agent/device-agent.js';
export { memoryAccountSource, retryPolicyOf, type AccountSource, type AgentAccount } from './agent/agent-account.js';
export { treeAccountSource, toAgentAccount } from './agent/tree-accounts.js';
export { PendingAlertQueue, toPendingAlert } from './agent/pending-alerts.js';
export { runSession, type RunResult, type RunSessionOptions } from './agent/session-runner.js';
export type { ListenOptions, PushListener } from './agent/push-listener.js';
export type { PushVerdict } from './agent/push-trigger.js';

// Simulator
export { DeviceSimulator, describeReport, type DeviceSimulatorOptions } from './simulator/device-simulator.js';
export { FleetSimulator, type FleetSimulatorOptions, type FleetProgress } from './simulator/fleet-simulator.js';
export { formatSummary, percentile, summarize, type FleetSummary } from './simulator/fleet-summary.js';
export {
  defaultFleetProfile, shippedFleetProfile, loadFleetProfile, parseFleetProfile, failureProfileOf, deviceProfileFor, imeiFor, modelFor,
  type FleetProfile, type FleetModel,
} from './simulator/fleet-profile.js';
export { scriptedUiHandler, pinUiHandler, type UiScript } from './simulator/scripted-ui.js';
