/** Typed messages that use every DM command and common element, for both protocol versions. */
import type { SyncMLMessage, VerDtd } from '../../src/core/syncml/message.js';

/** A server package using every command kind the server may send. */
export function serverPackage(verDtd: VerDtd): SyncMLMessage {
  const v12 = verDtd === '1.2';
  return {
    header: {
      verDtd,
      verProto: v12 ? 'DM/1.2' : 'DM/1.1',
      sessionId: '1A2F',
      msgId: 2,
      target: { locUri: 'IMEI:356938035643809', locName: 'device-user' },
      source: { locUri: 'https://dm.example.net/dm', locName: 'dm-server' },
      respUri: 'https://dm.example.net/dm?s=abc&n=1',
      cred: { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: 'Zz6EivR3yeaaENcRN6lpAQ==' },
      meta: { maxMsgSize: 16384, maxObjSize: 1048576 },
    },
    body: {
      commands: [
        {
          kind: 'Status', cmdId: 1, msgRef: 1, cmdRef: 0, cmd: 'SyncHdr',
          targetRefs: ['https://dm.example.net/dm'], sourceRefs: ['IMEI:356938035643809'],
          chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'MTIzNDU2Nzg5MGFiY2RlZg==' } },
          data: 212,
        },
        { kind: 'Status', cmdId: 2, msgRef: 1, cmdRef: 1, cmd: 'Alert', data: 200 },
        {
          kind: 'Add', cmdId: 3, meta: { format: 'chr', type: 'text/plain' },
          items: [{ target: { locUri: './Vendor/MSFT/Registry/HKLM/Test' }, data: 'value & <more>' }],
        },
        {
          kind: 'Replace', cmdId: 4, noResp: true,
          items: [
            { target: { locUri: './DevDetail/Ext/Conf' }, meta: { format: 'int', type: 'text/plain', size: 2 }, data: '42' },
            { target: { locUri: './FwUpdate/pkg1/Update/PkgData' }, meta: { format: 'b64', size: 4000 }, data: 'QUJD', moreData: true },
          ],
        },
        { kind: 'Delete', cmdId: 5, items: [{ target: { locUri: './Vendor/MSFT/Registry/HKLM/Old' } }] },
        { kind: 'Copy', cmdId: 6, items: [{ target: { locUri: './A/B' }, source: { locUri: './A/C' } }] },
        { kind: 'Get', cmdId: 7, items: [{ target: { locUri: './DevDetail?list=Struct' } }, { target: { locUri: './DevInfo/Mod?prop=Format' } }] },
        v12
          ? { kind: 'Exec', cmdId: 8, correlator: 'fw-17', items: [{ target: { locUri: './FwUpdate/pkg1/DownloadAndUpdate' }, data: 'go' }] }
          : { kind: 'Exec', cmdId: 8, items: [{ target: { locUri: './FwUpdate/pkg1/DownloadAndUpdate' } }] },
        {
          kind: 'Alert', cmdId: 9, data: 1101,
          items: [{ data: 'MINDT=10&MAXDT=30' }, { data: 'Install the update now?' }],
        },
        {
          kind: 'Atomic', cmdId: 10, commands: [
            { kind: 'Add', cmdId: 11, items: [{ target: { locUri: './X/Y' }, meta: { format: 'node' } }] },
            { kind: 'Replace', cmdId: 12, items: [{ target: { locUri: './X/Y/Z' }, data: '1' }] },
          ],
        },
        {
          kind: 'Sequence', cmdId: 13, commands: [
            { kind: 'Get', cmdId: 14, items: [{ target: { locUri: './DevInfo/Lang' } }] },
            { kind: 'Alert', cmdId: 15, data: 1100, items: [{ data: 'Done' }] },
          ],
        },
      ],
      final: true,
    },
  };
}

/** A client package: Alert, DevInfo Replace, Status, Results, Generic Alert. */
export function clientPackage(verDtd: VerDtd): SyncMLMessage {
  const v12 = verDtd === '1.2';
  return {
    header: {
      verDtd,
      verProto: v12 ? 'DM/1.2' : 'DM/1.1',
      sessionId: '7',
      msgId: 3,
      target: { locUri: 'https://dm.example.net/dm' },
      source: { locUri: 'IMEI:356938035643809', locName: 'user' },
      meta: { maxMsgSize: 8192, maxObjSize: 65536, emi: ['vendor-ext'] },
    },
    body: {
      commands: [
        {
          kind: 'Status', cmdId: 1, msgRef: 2, cmdRef: 0, cmd: 'SyncHdr', data: 200,
          chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'AAECAwQFBgcICQoLDA0ODw==' } },
        },
        { kind: 'Status', cmdId: 2, msgRef: 2, cmdRef: 7, cmd: 'Get', targetRefs: ['./DevInfo/Mod'], data: 200 },
        {
          kind: 'Status', cmdId: 3, msgRef: 2, cmdRef: 9, cmd: 'Alert', data: 200,
          items: [{ source: { locUri: './Inbox' }, data: '1' }],
        },
        {
          kind: 'Results', cmdId: 4, msgRef: 2, cmdRef: 7, meta: { format: 'chr', type: 'text/plain' },
          targetRefs: ['./DevInfo/Mod'],
          items: [{ source: { locUri: './DevInfo/Mod' }, meta: { size: 5, version: '1.0' }, data: 'AX200' }],
        },
        {
          kind: 'Replace', cmdId: 5,
          items: [
            { source: { locUri: './DevInfo/DevId' }, meta: { format: 'chr', type: 'text/plain' }, data: 'IMEI:356938035643809' },
            { source: { locUri: './DevInfo/Man' }, meta: { format: 'chr' }, data: 'Acme' },
          ],
        },
        v12
          ? {
              kind: 'Alert', cmdId: 6, data: 1226, correlator: 'fw-17',
              items: [{
                source: { locUri: './FwUpdate/pkg1/DownloadAndUpdate' },
                meta: { type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', format: 'int', mark: 'critical' },
                data: '402',
              }],
            }
          : { kind: 'Alert', cmdId: 6, data: 1201, items: [] },
        { kind: 'Alert', cmdId: 7, data: 1222, items: [] },
      ],
      final: false,
    },
  };
}
