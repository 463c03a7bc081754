/**
 * Server-initiated bootstrap over OMA Client Provisioning (OMA DM Bootstrap §3.1.1.2.2, §3.1.3;
 * reference §1.12): the server creates the device's credentials and nonces, writes them into a w7
 * APPLICATION, signs the document (ProvBoot SEC/MAC) and pushes it to the device — or hands the
 * bytes back for a factory line to load. The device installs the account and, with INIT, opens
 * its first session, where it authenticates with exactly these credentials.
 *
 * Stored first, sent second: if the push fails the new credentials stay stored and a second
 * bootstrap (which replaces the device's account) recovers.
 */
import { randomBytes } from 'node:crypto';
import { toBase64 } from '../../core/auth/bytes.js';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import type { CpCharacteristic, CpDocument } from '../../core/provisioning/cp-document.js';
import { buildSignedCpPush } from '../../core/provisioning/cp-push.js';
import { userPinMacPin, type CpMacSecrets, type CpSecMethod } from '../../core/provisioning/cp-security.js';
import { encodeCpWbxml } from '../../core/provisioning/cp-wbxml.js';
import type { W7Application } from '../../core/provisioning/w7.js';
import { w7Document } from '../../core/provisioning/w7-build.js';
import type { EventLog } from '../events/event-log.js';
import type { PushTransport } from '../notify/push-transport.js';
import type { DeviceRegistry, RandomBytes } from '../registry/device-registry.js';
import type { DeviceId, PushAddress } from '../store/store.js';

/** Options of {@link BootstrapService}. */
export interface BootstrapServiceOptions {
  readonly registry: DeviceRegistry;
  /** Push transports by address type (the same ones the NotificationService uses). */
  readonly transports: Partial<Record<PushAddress['type'], PushTransport>>;
  /** The server id devices know this server by (w7 PROVIDER-ID, DMAcc ServerID). */
  readonly serverId: string;
  /**
   * DM endpoint URL given to devices (w7 ADDR), e.g. `https://dm.example.com/dm`; a function when
   * it is known only once the server listens.
   */
  readonly serverUrl?: string | (() => string | undefined);
  /** Where `bootstrap.sent` is logged once a push went out. */
  readonly events?: EventLog;
  readonly random?: RandomBytes;
}

/** Options of {@link BootstrapService.bootstrap}. */
export interface BootstrapOptions {
  /** Security method (default USERPIN); `none` sends an unsigned document. */
  readonly sec?: CpSecMethod | 'none';
  /** USERPIN / USERNETWPIN: the PIN (default: 6 random digits). USERPINMAC: the key digits (default 5 random). */
  readonly pin?: string;
  /** The SIM's IMSI (NETWPIN, USERNETWPIN). */
  readonly imsi?: string;
  /** DM endpoint URL for this device (default: the service's). */
  readonly serverUrl?: string;
  /** X-MS-DESC: the text Windows Mobile shows in the PIN prompt. */
  readonly description?: string;
  /** INIT: the device opens a session at once (default true). */
  readonly init?: boolean;
  /** `wbxml` (default) or `xml`. */
  readonly format?: 'wbxml' | 'xml';
  /** Push the document (default true); false only builds it (factory line). */
  readonly deliver?: boolean;
  /** Registers the device when unknown, or updates its push address. */
  readonly pushAddress?: PushAddress;
  /** Client user name (default: the device id, with characters outside `[A-Za-z0-9._@-]` made `-`). */
  readonly username?: string;
  /** How the device authenticates: `md5` (DIGEST, default) or `basic`. */
  readonly authType?: 'md5' | 'basic';
  /** Extra w7 settings (NAME, ROLE, TO-NAPID, PROTOVER, DEFAULTENCODING, retry knobs…). */
  readonly app?: Partial<Omit<W7Application, 'providerId' | 'addresses' | 'appAuths' | 'init'>>;
  /** Extra characteristics sent before the APPLICATION (NAPDEF, PXLOGICAL). */
  readonly connectivity?: readonly CpCharacteristic[];
  /** X-WAP-Application-ID (e.g. `x-wap-microsoft:cfgmgr.ua`; default none: routed by content type). */
  readonly applicationId?: number | string;
}

/** What a bootstrap produced. */
export interface BootstrapResult {
  readonly deviceId: DeviceId;
  readonly serverId: string;
  readonly serverUrl: string;
  /** Client user name the device now authenticates with. */
  readonly username: string;
  /** The device was registered by this bootstrap. */
  readonly registered: boolean;
  readonly sec?: CpSecMethod;
  /** The PIN the user must type (USERPIN, USERNETWPIN, USERPINMAC). */
  readonly pin?: string;
  /** The MAC parameter sent. */
  readonly mac?: string;
  /** The document (it holds the new secrets). */
  readonly document: CpDocument;
  /** The signed document bytes (what a factory line loads). */
  readonly body: Uint8Array;
  /** The WSP push PDU. */
  readonly push: Uint8Array;
  /** Transport that carried the push, when delivered. */
  readonly transport?: string;
}

/** Creates credentials and sends Client Provisioning bootstraps. */
export class BootstrapService {
  readonly #o: BootstrapServiceOptions;
  readonly #random: RandomBytes;

  constructor(options: BootstrapServiceOptions) {
    this.#o = options;
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
  }

  /**
   * Bootstraps a device: new client and server passwords and nonces are stored, the signed w7
   * document is built and (unless `deliver` is false) pushed, then logged as a `bootstrap.sent` event.
   *
   * @throws ConfigError ERR_CONFIG_INVALID for missing settings (server URL, IMSI, bad PIN) and
   *   for an unknown device without `pushAddress`;
   *   ERR_NOTIFY_NO_ADDRESS / ERR_NOTIFY_TRANSPORT when it cannot be delivered.
   */
  async bootstrap(deviceId: DeviceId, options: BootstrapOptions = {}): Promise<BootstrapResult> {
    const registry = this.#o.registry;
    const configured = this.#o.serverUrl;
    const serverUrl = options.serverUrl ?? (typeof configured === 'function' ? configured() : configured);
    if (serverUrl === undefined || !/^https?:\/\//.test(serverUrl)) throw config('a bootstrap needs the DM server URL (http or https) the device will connect to');
    const sec = options.sec === 'none' ? undefined : (options.sec ?? 'USERPIN');
    if ((sec === 'NETWPIN' || sec === 'USERNETWPIN') && (options.imsi === undefined || options.imsi === '')) throw config(`${sec} needs the IMSI of the device's SIM`);
    const deliver = options.deliver ?? true;

    let device = await registry.get(deviceId);
    const registered = device === undefined;
    if (device === undefined) {
      if (options.pushAddress === undefined && deliver) {
        throw config(`device ${deviceId} is not registered: give it a push address to register it`);
      }
      device = await registry.register({ id: deviceId, ...(options.pushAddress === undefined ? {} : { pushAddress: options.pushAddress }) });
    } else if (options.pushAddress !== undefined) {
      device = await registry.update(deviceId, { pushAddress: options.pushAddress });
    }
    const transport = deliver ? this.#transportFor(device.pushAddress) : undefined;

    // New secrets for both directions (OMA DM Security: ≥128-bit passwords and nonces, one per client).
    const serverId = this.#o.serverId;
    const username = options.username ?? deviceId.replace(/[^A-Za-z0-9._@-]/g, '-');
    const clientPassword = this.#secret();
    const serverPassword = this.#secret();
    const authType = options.authType ?? 'md5';
    await registry.setClientCredential(deviceId, { username, password: clientPassword, authType });
    await registry.setServerCredential(deviceId, { serverId, serverPassword });
    const clientNonce = await registry.issueClientNonce(deviceId);
    const serverNonce = this.#random(16);
    await registry.storeServerNonce(deviceId, serverNonce);

    const app: W7Application = {
      toNapIds: [], toProxies: [], backCompatRetryDisabled: false, useHwDevId: false,
      ...options.app,
      providerId: serverId,
      addresses: [{ addr: serverUrl, ports: [] }],
      appAuths: [
        { level: 'APPSRV', type: authType === 'basic' ? 'BASIC' : 'DIGEST', name: username, secret: clientPassword, data: toBase64(clientNonce) },
        { level: 'CLIENT', type: 'DIGEST', name: serverId, secret: serverPassword, data: toBase64(serverNonce) },
      ],
      init: options.init ?? true,
    };
    const document = w7Document(app, options.connectivity);
    const format = options.format ?? 'wbxml';
    const { pin, security } = this.#security(sec, options, document, format);
    const built = buildSignedCpPush({
      document, format,
      ...(security === undefined ? {} : { security }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
    });
    if (transport !== undefined) {
      try {
        await transport.send(device, built.push);
      } catch (err) {
        if (err instanceof DmError) throw err;
        throw new DmError(ErrorCode.ERR_NOTIFY_TRANSPORT, `bootstrap push to ${deviceId} over ${transport.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await this.#o.events?.append({ type: 'bootstrap.sent', deviceId, serverId, transport: transport.name, registered, ...(sec === undefined ? {} : { sec }) });
    }
    return {
      deviceId, serverId, serverUrl, username, registered, document, body: built.body, push: built.push,
      ...(sec === undefined ? {} : { sec }),
      ...(pin === undefined ? {} : { pin }),
      ...(built.mac === undefined ? {} : { mac: built.mac }),
      ...(transport === undefined ? {} : { transport: transport.name }),
    };
  }

  #transportFor(address: PushAddress | undefined): PushTransport {
    if (address === undefined) throw new DmError(ErrorCode.ERR_NOTIFY_NO_ADDRESS, 'the device has no push address');
    const t = this.#o.transports[address.type];
    if (t === undefined) throw new DmError(ErrorCode.ERR_NOTIFY_NO_ADDRESS, `no push transport for ${address.type} addresses`);
    return t;
  }

  /** The secrets to sign with, and the PIN the user will need. */
  #security(sec: CpSecMethod | undefined, o: BootstrapOptions, document: CpDocument, format: 'wbxml' | 'xml'): { pin?: string; security?: CpMacSecrets } {
    if (sec === undefined) return {};
    const imsi = o.imsi === undefined ? {} : { imsi: o.imsi };
    if (sec === 'NETWPIN') return { security: { sec, ...imsi } };
    if (sec === 'USERPINMAC') {
      const key = o.pin ?? this.#digits(5);
      if (!/^\d{1,20}$/.test(key)) throw config('the USERPINMAC key must be 1 to 20 digits');
      // The PIN's second half is derived from the exact bytes that will be pushed.
      const body = format === 'xml' ? undefined : encodeCpWbxml(document);
      if (body === undefined) throw config('USERPINMAC needs the WBXML format');
      const pin = userPinMacPin({ keyDigits: key, document: body });
      return { pin, security: { sec, userPin: pin } };
    }
    const pin = o.pin ?? this.#digits(6);
    if (pin === '' || pin.length > 40) throw config('the PIN must be 1 to 40 characters');
    return { pin, security: { sec, userPin: pin, ...imsi } };
  }

  /** A random password: 16 bytes, base64url (≥128 bits, OMA DM Security §5.1). */
  #secret(): string {
    return Buffer.from(this.#random(16)).toString('base64url');
  }

  /** Uniform random decimal digits (bytes ≥ 250 are redrawn, so no digit is favoured). */
  #digits(count: number): string {
    let out = '';
    while (out.length < count) {
      for (const b of this.#random(count)) if (b < 250 && out.length < count) out += String(b % 10);
    }
    return out;
  }
}

function config(message: string): ConfigError {
  return new ConfigError(ErrorCode.ERR_CONFIG_INVALID, message);
}
