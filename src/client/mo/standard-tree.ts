/**
 * The standard tree of a simulated Windows-Mobile-style device: DevInfo, DevDetail, DMAcc (both
 * layouts), FUMO, Inbox and the Vendor/MSFT CSPs (Registry, CertificateStore, ROMPackage, NAP,
 * Proxy). Devices built with the same `TreeTemplateCache` and an equal profile (apart from DevId
 * and credentials) share one template and keep only their own values.
 */
import type { NodeUriOptions } from '../../core/tree/uri.js';
import type { ManagementTree } from '../tree/management-tree.js';
import type { AlertSink, Clock, PluginContext, TreePlugin } from '../tree/plugin.js';
import { type InitialNode, TreeTemplate } from '../tree/tree-template.js';
import type { TreeSnapshot } from '../tree/tree-snapshot.js';
import { createCertificateStorePlugin } from './csp/certificate-store.js';
import { createNapPlugin, createProxyPlugin } from './csp/connectivity.js';
import { createRegistryPlugin, type RegistryValue, registryNodes } from './csp/registry.js';
import { createRomPackagePlugin, type RomPackage, romPackageNodes } from './csp/rom-package.js';
import { createDevDetailPlugin, devDetailNodes } from './devdetail.js';
import { createDevInfoPlugin, devInfoNodes } from './devinfo.js';
import { createDmAccPlugin } from './dmacc.js';
import { type DmAccountProfile, dmAccountNodes } from './dmacc-accounts.js';
import { createFumoPlugin } from './fumo.js';
import { type FirmwareUpdater, HttpFirmwareUpdater } from './fumo-updater.js';
import { createInboxPlugin } from './inbox.js';

/** What a simulated device is. */
export interface DeviceProfile {
  /** DevInfo/DevId. */
  readonly devId: string;
  /** DevInfo/Man. */
  readonly man: string;
  /** DevInfo/Mod. */
  readonly mod: string;
  /** DevInfo/DmV. */
  readonly dmV: string;
  /** DevInfo/Lang. */
  readonly lang: string;
  /** DevDetail/FwV. */
  readonly fwV: string;
  /** DevDetail/SwV. */
  readonly swV: string;
  /** DevDetail/HwV. */
  readonly hwV: string;
  /** DevDetail/OEM. */
  readonly oem: string;
  /** DevDetail/DevTyp. */
  readonly devTyp: string;
  /** DevDetail/LrgObj (default true). */
  readonly lrgObj?: boolean;
  /** DM accounts to provision. */
  readonly accounts: readonly DmAccountProfile[];
  /** OMA ACLs or Microsoft roles (default `acl`). */
  readonly accessMode?: 'acl' | 'roles';
  /** URI limits (default MaxDepth 32, MaxTotLen 1024, MaxSegLen 255). */
  readonly uriLimits?: NodeUriOptions;
  /** Installed ROM packages. */
  readonly romPackages?: readonly RomPackage[];
  /** Registry values. */
  readonly registry?: readonly RegistryValue[];
}

/** Options of {@link createStandardTree}. */
export interface StandardTreeOptions {
  /** Where FUMO queues its Generic Alerts. */
  readonly alerts?: AlertSink;
  /** Clock. */
  readonly clock?: Clock;
  /** Firmware updater (default: {@link HttpFirmwareUpdater}). */
  readonly updater?: FirmwareUpdater;
  /** Template cache shared by many devices (the simulator passes one). */
  readonly cache?: TreeTemplateCache;
  /** Persisted state to load. */
  readonly snapshot?: TreeSnapshot;
  /** FUMO: refuse an Exec without Correlator (WM behaviour); default false. */
  readonly requireCorrelator?: boolean;
  /** Called when a server adds DMAcc `Ext/Microsoft/InitiateSession`. */
  readonly onInitiateSession?: (ctx: PluginContext, accountUri: string) => void;
}

/** Default URI limits of the standard tree (reported in DevDetail/URI). */
export const STANDARD_URI_LIMITS: Required<Pick<NodeUriOptions, 'maxDepth' | 'maxTotLen' | 'maxSegLen'>> = {
  maxDepth: 32, maxTotLen: 1024, maxSegLen: 255,
};

/**
 * Root ACL of the standard tree. WM does not enforce OMA ACLs (reference §1.4), so the root is
 * open; DevInfo / DevDetail are `Get=*`, DMAcc is `Add=*&Get=*` and each account grants its own
 * server only.
 */
export const STANDARD_ROOT_ACL = 'Add=*&Delete=*&Exec=*&Get=*&Replace=*';

/** Templates shared by devices of the same profile (use one cache with one set of options). */
export class TreeTemplateCache {
  readonly #templates = new Map<string, TreeTemplate>();

  /** The template for `key`, built with `build` the first time. */
  get(key: string, build: () => TreeTemplate): TreeTemplate {
    let t = this.#templates.get(key);
    if (t === undefined) {
      t = build();
      this.#templates.set(key, t);
    }
    return t;
  }

  /** Number of templates. */
  get size(): number {
    return this.#templates.size;
  }
}

/** The plug-ins of the standard tree. */
export function standardPlugins(options: Pick<StandardTreeOptions, 'updater' | 'requireCorrelator' | 'onInitiateSession'> = {}): TreePlugin[] {
  return [
    createDevInfoPlugin(), createDevDetailPlugin(),
    createDmAccPlugin(options.onInitiateSession !== undefined ? { onInitiateSession: options.onInitiateSession } : {}),
    createFumoPlugin({ updater: options.updater ?? new HttpFirmwareUpdater(), requireCorrelator: options.requireCorrelator === true }),
    createInboxPlugin(), createRegistryPlugin(), createCertificateStorePlugin(), createRomPackagePlugin(),
    createNapPlugin(), createProxyPlugin(),
  ];
}

/** Every node a profile provisions. */
export function profileNodes(profile: DeviceProfile): InitialNode[] {
  const limits = profile.uriLimits ?? STANDARD_URI_LIMITS;
  return [
    ...devInfoNodes({ devId: profile.devId, man: profile.man, mod: profile.mod, dmV: profile.dmV, lang: profile.lang }),
    ...devDetailNodes({
      devTyp: profile.devTyp, oem: profile.oem, fwV: profile.fwV, swV: profile.swV, hwV: profile.hwV,
      lrgObj: profile.lrgObj ?? true, limits,
    }),
    ...profile.accounts.flatMap((a) => dmAccountNodes(a)),
    ...romPackageNodes(profile.romPackages ?? []),
    ...registryNodes(profile.registry ?? []),
  ];
}

/** The part of a profile that decides the template (per-device values are left out). */
export function templateKey(profile: DeviceProfile): string {
  return JSON.stringify({
    ...profile,
    devId: undefined,
    accounts: profile.accounts.map((a) => ({ ...a, clientName: undefined, clientSecret: undefined, serverSecret: undefined, clientNonce: undefined, serverNonce: undefined })),
  });
}

/** Builds a device's standard tree (sharing the template through `options.cache`). */
export function createStandardTree(profile: DeviceProfile, options: StandardTreeOptions = {}): ManagementTree {
  const nodes = profileNodes(profile);
  const build = (): TreeTemplate => TreeTemplate.build({
    plugins: standardPlugins(options),
    accessMode: profile.accessMode ?? 'acl',
    limits: profile.uriLimits ?? STANDARD_URI_LIMITS,
    rootAcl: STANDARD_ROOT_ACL,
    nodes,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  const template = options.cache === undefined ? build() : options.cache.get(templateKey(profile), build);
  return template.instantiate({
    nodes,
    ...(options.alerts !== undefined ? { alerts: options.alerts } : {}),
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
  });
}
