/** `omadm notification encode|decode`: Package 0 (General Notification Initiated Session). */
import type { Command } from 'commander';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { decodeNonce } from '../../core/auth/nonce.js';
import { decodeNotification, encodeNotification, verifyNotification } from '../../core/notification/package0.js';
import { decodeWapPush, encodeWapPush } from '../../core/notification/wap-push.js';
import { readInput, writeOutput } from '../io.js';

const UI_MODES: Record<string, 0 | 1 | 2 | 3> = { 'not-specified': 0, background: 1, informative: 2, 'user-interaction': 3 };
const WSP_PUSH_PDU = 0x06;
const CONTENT_TYPE_NOTIFICATION = 0x44;
const APP_ID_SYNCML_DM = 0x07;

function intOption(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${name} must be an integer 0..${max}, not "${value}"`);
  return n;
}

/** Registers `notification encode` and `notification decode`. */
export function registerNotificationCommands(program: Command): void {
  const n = program.command('notification').description('encode or decode a Package 0 (server-initiated session trigger)');

  n.command('encode')
    .description('build a Package 0 and write its bytes to standard output')
    .requiredOption('--server-id <id>', 'server identifier (DMAcc ServerID)')
    .requiredOption('--server-password <password>', 'server password (server->client credential)')
    .requiredOption('--server-nonce <b64>', 'server nonce, base64, as last issued by the device')
    .requiredOption('--session-id <n>', 'session id, 0..65535')
    .option('--ui-mode <mode>', 'not-specified | background | informative | user-interaction', 'not-specified')
    .option('--initiator <who>', 'server | client', 'server')
    .option('--wap-push', 'wrap it in a WSP push PDU (content type 0x44, application id 0x07)', false)
    .action((o: { serverId: string; serverPassword: string; serverNonce: string; sessionId: string; uiMode: string; initiator: string; wapPush: boolean }) => {
      const uiMode = UI_MODES[o.uiMode];
      if (uiMode === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--ui-mode must be one of ${Object.keys(UI_MODES).join(', ')}`);
      if (o.initiator !== 'server' && o.initiator !== 'client') throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, '--initiator must be server or client');
      const bytes = encodeNotification({
        serverId: o.serverId,
        serverPassword: o.serverPassword,
        serverNonce: decodeNonce(o.serverNonce),
        sessionId: intOption('--session-id', o.sessionId, 0xffff),
        uiMode,
        initiator: o.initiator,
      });
      writeOutput(o.wapPush ? encodeWapPush({ contentType: CONTENT_TYPE_NOTIFICATION, applicationId: APP_ID_SYNCML_DM, body: bytes }) : bytes);
    });

  n.command('decode')
    .description('print the fields of a Package 0 (raw or WAP-push framed) as JSON, and whether its digest verifies')
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--server-id <id>', 'expected server identifier')
    .option('--server-password <password>', 'server password, to verify the digest')
    .option('--server-nonce <b64>', 'server nonce (base64), to verify the digest')
    .option('--nonce-resync', 'also accept the resync nonce', false)
    .action((file: string, o: { serverId?: string; serverPassword?: string; serverNonce?: string; nonceResync: boolean }) => {
      let bytes: Uint8Array = readInput(file);
      let push: { applicationId?: unknown; contentType?: unknown } | undefined;
      // A WSP push starts with a transaction id then PDU type 0x06; a bare Package 0 starts with a digest.
      if (bytes.length > 2 && bytes[1] === WSP_PUSH_PDU) {
        try {
          const p = decodeWapPush(bytes);
          push = { contentType: p.contentType, applicationId: p.applicationId };
          bytes = p.body;
        } catch {
          push = undefined;
        }
      }
      const msg = decodeNotification(bytes);
      const out: Record<string, unknown> = {
        ...(push ? { wapPush: push } : {}),
        version: msg.version,
        uiMode: msg.uiMode,
        initiator: msg.initiator,
        sessionId: msg.sessionId,
        serverId: msg.serverId,
        digest: Buffer.from(msg.digest).toString('base64'),
        ...(msg.vendorSpecific ? { vendorSpecific: Buffer.from(msg.vendorSpecific).toString('hex') } : {}),
      };
      if (o.serverPassword !== undefined && o.serverNonce !== undefined) {
        const v = verifyNotification(msg, {
          serverId: o.serverId ?? msg.serverId,
          serverPassword: o.serverPassword,
          serverNonce: decodeNonce(o.serverNonce),
          allowNonceResync: o.nonceResync,
        });
        out['verified'] = v.ok;
        if (v.ok) out['nonceResync'] = v.nonceResync;
        else out['reason'] = v.message;
      }
      writeOutput(JSON.stringify(out, null, 2) + '\n');
    });
}
