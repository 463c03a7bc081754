/**
 * The tree the AOSP OMA-DM conformance vectors expect (shared/vectors/aosp-omadm-dm1{1,2}-*:
 * the DMT harness scripts testinput11/12 and their golden transcripts). It reproduces the
 * harness device: DevInfo/DevDetail values of the Motorola A780 test build, ./SyncML/DMAcc,
 * ./SyncML/Con, ./DMAcc, free-form ./UnitTest, ./TEST and ./CLONE, the read-only test plug-in
 * ./TestPluginNode, the read-write ./TestRWPluginNode, and a root that runs `Exec .` with the
 * harness' canned command output. The root refuses undescribed children with 500, as the
 * harness answers `Add ./TestLeafNode`.
 */
import { Status } from '../../src/core/constants/status.js';
import type { ItemData } from '../../src/core/syncml/message.js';
import { createDevDetailPlugin, devDetailNodes } from '../../src/client/mo/devdetail.js';
import { createDevInfoPlugin, devInfoNodes } from '../../src/client/mo/devinfo.js';
import { createDmAccPlugin } from '../../src/client/mo/dmacc.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';
import { type AlertSink, type NodeDescription, type TreePlugin, createStorePlugin } from '../../src/client/tree/plugin.js';
import type { TreeCaller } from '../../src/client/tree/tree-api.js';
import { TreeTemplate } from '../../src/client/tree/tree-template.js';

/** Every command allowed, for everybody. */
export const OPEN_ACL = 'Add=*&Delete=*&Exec=*&Get=*&Replace=*';
/** A caller the conformance tree lets do anything (the SCTS server of the vectors). */
export const CONFORMANCE_CALLER: TreeCaller = { serverId: 'Scts', roles: 0xffffffff };
/** The harness' DevId. */
export const CONFORMANCE_DEV_ID = '000000011234564';

/** Output of the harness host for `Exec .` (transcripts of testexecscript / testexecscript2). */
export const EXEC_OUTPUT: Readonly<Record<string, string>> = {
  uname: 'Linux\n',
  ls: 'bin\ncompile\ndmt_data\nlib\nplugins\nrun_test\nsettings\nsrc\nunittest\n',
};

const RW = ['Add', 'Delete', 'Get', 'Replace'] as const;
const open = (mount: string, permanent = true): TreePlugin => createStorePlugin({
  id: `open:${mount}`, mount,
  description: { format: 'node', access: [...RW], open: true, ...(permanent ? {} : { permanent: false, autoCreate: true }) },
});
const getLeaf = (name: string, format = 'chr'): NodeDescription => ({ name, format, access: ['Get'] });

function dataText(data: ItemData | undefined): string {
  if (data === undefined) return '';
  if (typeof data === 'string') return data;
  return data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : '';
}

const rootPlugin: TreePlugin = createStorePlugin({
  id: 'aosp-root',
  mount: '.',
  description: {
    name: '.', format: 'node', access: ['Add', 'Delete', 'Exec', 'Get', 'Replace'], acl: OPEN_ACL,
    unknownChildStatus: Status.COMMAND_FAILED,
  },
  exec: (_ctx, request) => {
    const out = EXEC_OUTPUT[dataText(request.data).trim()];
    if (out === undefined) return { status: Status.COMMAND_FAILED };
    return { status: Status.OK, items: [{ source: { locUri: '.' }, meta: { size: Buffer.byteLength(out) }, data: out }] };
  },
});

const testPluginNode: TreePlugin = createStorePlugin({
  id: 'aosp-test-plugin',
  mount: './TestPluginNode',
  description: {
    format: 'node', access: ['Get'], type: 'text/plain',
    children: [{ ...getLeaf('a'), defaultValue: 'leaf1' }, { ...getLeaf('b'), defaultValue: 'leaf2' }],
  },
});

const rw = (name: string, format: string, defaultValue: string): NodeDescription =>
  ({ name, format, access: [...RW], defaultValue, occurrence: 'ZeroOrOne' });
const testRwPluginNode: TreePlugin = createStorePlugin({
  id: 'aosp-test-rw-plugin',
  mount: './TestRWPluginNode',
  description: {
    format: 'node', access: [...RW], open: true,
    children: [{
      name: 'branch1', format: 'node', access: [...RW], open: true,
      children: [
        rw('char', 'chr', 'char_value'), rw('int', 'int', '1234'), rw('lob', 'chr', ''), rw('lobbin', 'bin', ''),
        rw('FloatLeaf', 'float', '-1.23456e+2'), rw('DateLeaf', 'date', '2005-10-18'), rw('TimeLeaf', 'time', '11:38:58'),
      ].map((d) => ({ ...d, autoCreate: true, permanent: false })),
    }],
  },
});

/** Limits of the harness device (DevDetail/URI of the transcripts). */
export const CONFORMANCE_LIMITS = { maxDepth: 20, maxTotLen: 255, maxSegLen: 128 } as const;

/** Template of the conformance device. */
export function conformanceTemplate(): TreeTemplate {
  return TreeTemplate.build({
    plugins: [
      rootPlugin,
      createDevInfoPlugin({ extra: [getLeaf('Sort'), getLeaf('Loc'), getLeaf('LangAuto', 'bool')] }),
      createDevDetailPlugin({ extra: ['FlexV', 'ESNV', 'PRLV', 'PRIChecksum'].map((n) => getLeaf(n)) }),
      createDmAccPlugin({ mount: './SyncML/DMAcc', acl: OPEN_ACL }),
      createDmAccPlugin({ mount: './DMAcc', acl: OPEN_ACL }),
      open('./SyncML/Con'), open('./UnitTest'), open('./TEST'), open('./CLONE', false),
      testPluginNode, testRwPluginNode,
    ],
    limits: CONFORMANCE_LIMITS,
    nodes: [
      ...devInfoNodes({
        devId: CONFORMANCE_DEV_ID, man: 'Motorola, Copyright 2005', mod: 'A780', dmV: '1.2', lang: 'en', bearer: { GSM: '' },
      }),
      { uri: './DevInfo/Sort', value: 'Latin' }, { uri: './DevInfo/Loc', value: 'US' }, { uri: './DevInfo/LangAuto', value: 'false' },
      ...devDetailNodes({
        devTyp: '', oem: 'Motorola', fwV: '1.0', swV: '1.0', hwV: '1.0', lrgObj: false, limits: CONFORMANCE_LIMITS,
        bearer: { GSM: '1900-GSM', CDMA: '' },
      }),
      { uri: './DevDetail/FlexV', value: '1.0' }, { uri: './DevDetail/ESNV', value: '1.0' },
      { uri: './DevDetail/PRLV', value: '1.0' }, { uri: './DevDetail/PRIChecksum', value: '111111' },
    ],
  });
}

/** A fresh tree as the AOSP conformance vectors expect it. */
export function createConformanceTree(options: { alerts?: AlertSink } = {}): ManagementTree {
  return conformanceTemplate().instantiate(options.alerts !== undefined ? { alerts: options.alerts } : {});
}
