/**
 * A small tree for unit tests of the management tree: DevInfo, a free-form ./Test area, a
 * described ./Fixed MO (typed leaves, a secret, dynamic `<x>` children, an executable node with
 * a recording plug-in) and the Inbox.
 */
import { Status } from '../../src/core/constants/status.js';
import { createDevInfoPlugin, devInfoNodes } from '../../src/client/mo/devinfo.js';
import { createInboxPlugin } from '../../src/client/mo/inbox.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';
import { type Clock, type TreeChange, type TreePlugin, createStorePlugin } from '../../src/client/tree/plugin.js';
import type { TreeCaller } from '../../src/client/tree/tree-api.js';
import { type InitialNode, TreeTemplate } from '../../src/client/tree/tree-template.js';

/** The default test server. */
export const SERVER: TreeCaller = { serverId: 'srv1', roles: 8 };
/** Another server. */
export const OTHER: TreeCaller = { serverId: 'srv2', roles: 4 };

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2024, 0, 2, 3, 4, 5)) {}
  now(): number {
    return this.ms;
  }
}

/** Options of {@link sampleTree}. */
export interface SampleTreeOptions {
  readonly accessMode?: 'acl' | 'roles';
  readonly rootAcl?: string;
  readonly limits?: { maxDepth?: number; maxTotLen?: number; maxSegLen?: number };
  readonly plugins?: readonly TreePlugin[];
  readonly nodes?: readonly InitialNode[];
  readonly clock?: Clock;
  /** Receives every beforeChange of ./Fixed; a returned number vetoes. */
  readonly onChange?: (change: TreeChange) => number | undefined;
}

const RW = ['Add', 'Delete', 'Get', 'Replace'] as const;

/** Builds the ./Fixed plug-in. */
export function fixedPlugin(onChange?: (change: TreeChange) => number | undefined): TreePlugin {
  return createStorePlugin({
    id: 'fixed',
    mount: './Fixed',
    description: {
      format: 'node', access: ['Get', 'Add'], type: 'urn:test:mo:fixed:1.0',
      children: [
        { name: 'Num', format: 'int', access: [...RW], defaultValue: '7' },
        { name: 'Secret', format: 'chr', access: ['Replace'], defaultValue: 's3cret' },
        { name: 'Blob', format: 'bin', access: [...RW], occurrence: 'ZeroOrOne' },
        { name: 'ReadOnly', format: 'chr', access: ['Get'], defaultValue: 'ro' },
        { name: 'Run', format: 'node', access: ['Get', 'Exec'] },
        { name: 'NoExec', format: 'node', access: ['Get'] },
        {
          name: '<x>', format: 'node', access: [...RW],
          children: [
            { name: 'Leaf', format: 'chr', access: [...RW], occurrence: 'ZeroOrOne' },
            { name: 'Auto', format: 'int', access: ['Get'], autoCreate: true, defaultValue: '10' },
            { name: '<y>', format: 'node', access: [...RW], children: [{ name: 'Deep', format: 'chr', access: [...RW] }] },
          ],
        },
      ],
    },
    beforeChange: (_ctx, change) => onChange?.(change),
    exec: async (_ctx, req) => (req.data === 'fail' ? { status: Status.COMMAND_FAILED } : {
      status: Status.OK, items: [{ source: { locUri: req.uri }, data: `ran ${String(req.data ?? '')}` }],
    }),
  });
}

/** The sample template. */
export function sampleTemplate(options: SampleTreeOptions = {}): TreeTemplate {
  return TreeTemplate.build({
    plugins: [
      createDevInfoPlugin(),
      createStorePlugin({ id: 'test', mount: './Test', description: { format: 'node', access: [...RW], open: true } }),
      fixedPlugin(options.onChange),
      createInboxPlugin({ targets: { 'urn:test:mo:fixed:1.0': './Fixed' } }),
      ...(options.plugins ?? []),
    ],
    accessMode: options.accessMode ?? 'acl',
    rootAcl: options.rootAcl ?? 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    nodes: [
      ...devInfoNodes({ devId: 'imei:490154203237518', man: 'Contoso', mod: 'X1', dmV: '1.2', lang: 'en-US' }),
      ...(options.nodes ?? []),
    ],
  });
}

/** A fresh sample tree. */
export function sampleTree(options: SampleTreeOptions = {}): ManagementTree {
  return sampleTemplate(options).instantiate();
}
