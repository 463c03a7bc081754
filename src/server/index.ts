/** Public surface of the DM server (`omadm/server`). */
export { createServer, type CreateServerOptions, type DmServer } from './create-server.js';
export {
  DEFAULT_CONFIG, loadConfigFile, resolveConfig,
  type ApiConfig, type AuthConfig, type ClientAuthKind, type ServerConfig, type ServerConfigInput, type SessionConfig, type TlsConfig, type WebhookConfig,
} from './config.js';
export { SessionEngine, type DmRequest, type DmResponse, type SessionEngineOptions } from './session/session-engine.js';
export { SessionManager, type SessionManagerOptions } from './session/session-manager.js';
export { DmSession, type SessionPhase } from './session/dm-session.js';
export { dmEndpoint, type DmEndpointOptions, type DmMessageHandler } from './http/dm-endpoint.js';
export { restApi } from './api/rest-api.js';
export { httpStatusFor, HTTP_STATUS_BY_CODE } from './api/api-errors.js';
export { readServerInfo, serverInfoPath, type ServerInfoFile } from './api/api-tokens.js';
export { WebhookDispatcher, type WebhookDispatcherOptions, type WebhookFetch } from './api/webhooks.js';
export type * from './api/dto.js';
export { ServerMetrics } from './metrics/server-metrics.js';
export { checkClientCredential, type CredentialCheck, type CredentialVerdict } from './auth/client-auth.js';
export { buildChallenge, buildServerCred, buildServerHmacHeader } from './auth/server-auth.js';
export { DeviceRegistry } from './registry/device-registry.js';
export { CommandQueue } from './queue/command-queue.js';
export { EventLog } from './events/event-log.js';
export { NotificationService } from './notify/notification-service.js';
export type { PushTransport } from './notify/push-transport.js';
export { createFumoModule, type FumoModule, type FumoModuleOptions } from './campaign/fumo-module.js';
export { CampaignService, type CampaignListener, type CampaignServiceOptions } from './campaign/campaign-service.js';
export type { CreateCampaignInput } from './campaign/campaign-input.js';
export type { CampaignStatus } from './campaign/campaign-status.js';
export type {
  CampaignDeviceRecord, CampaignDeviceState, CampaignEvent, CampaignEventRecord, CampaignFlow, CampaignId, CampaignRecord, CampaignState,
  DeviceSelection, FailureClass, FumoStep, RetryPolicy, RetryRule, RolloutPolicy,
} from './campaign/campaign-types.js';
export { FirmwareRepository, packageApplies, type ExternalFirmware, type FirmwareMetadata, type FirmwareRepositoryOptions } from './firmware/firmware-repository.js';
export type { FirmwareId, FirmwareLocation, FirmwarePackageRecord, FirmwareQuery, FirmwareStore } from './firmware/firmware-store.js';
export type { InstallNotification } from './firmware/firmware-download-routes.js';
export { BootstrapService, type BootstrapOptions, type BootstrapResult, type BootstrapServiceOptions } from './bootstrap/bootstrap-service.js';
export { registerBootstrapRoutes } from './bootstrap/bootstrap-routes.js';
export * from './store/store.js';
