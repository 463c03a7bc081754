/**
 * Inbox (`./Inbox`, OMA DM 1.2, optional; reference §1.4): a server adds a management object
 * there without knowing where the device keeps it; the device places it by its MO identifier
 * (the Meta Type of the Add, or the Type of a TNDS node). Inbox is Add-only: Get → 405.
 */
import { Status } from '../../core/constants/status.js';
import { MoId } from '../../core/constants/mo-ids.js';
import { normalizeUri, parentUri } from '../../core/tree/uri.js';
import type { PluginContext, TreeChange, TreePlugin } from '../tree/plugin.js';
import { DMACC_URI } from './dmacc.js';
import { FUMO_URI } from './fumo.js';

/** Mount URI of the Inbox. */
export const INBOX_URI = './Inbox';

/** Where the standard tree places each MO type. */
export const DEFAULT_INBOX_TARGETS: Readonly<Record<string, string>> = {
  [MoId.DMACC]: DMACC_URI,
  [MoId.FUMO]: FUMO_URI,
};

/** The Inbox plug-in; `targets` maps an MO identifier to the interior node its instances go under. */
export function createInboxPlugin(options: { targets?: Readonly<Record<string, string>>; roleMask?: number } = {}): TreePlugin {
  const targets = options.targets ?? DEFAULT_INBOX_TARGETS;
  return {
    id: 'inbox',
    mount: INBOX_URI,
    description: {
      name: 'Inbox', format: 'node', access: ['Add'], occurrence: 'ZeroOrOne', permanent: true, acl: 'Add=*',
      ...(options.roleMask !== undefined ? { roleMask: options.roleMask } : {}),
      children: [{ name: '<x>', format: '*', access: ['Add'], open: true }],
    },
    beforeChange: (ctx, change) => place(ctx, change, targets),
  };
}

/** Redirects an Add below ./Inbox to the MO's real location; nothing is stored in the Inbox. */
function place(ctx: PluginContext, change: TreeChange, targets: Readonly<Record<string, string>>): number | undefined {
  if (change.kind !== 'add') return Status.COMMAND_NOT_ALLOWED;
  const rest = change.uri.slice(ctx.mount.length + 1).split('/');
  const first = rest[0] ?? '';
  let target: string | undefined;
  if (parentUri(change.uri) === ctx.mount) {
    const moId = change.meta?.type;
    target = moId === undefined ? undefined : targets[moId];
    if (target === undefined) return Status.OPTIONAL_FEATURE_NOT_SUPPORTED; // an MO this device does not have
  } else {
    // Deeper nodes follow the MO instance placed by an earlier Add (e.g. the rest of a TNDS document).
    target = Object.values(targets).find((t) => ctx.tree.exists(`${t}/${first}`));
    if (target === undefined) return Status.NOT_FOUND;
  }
  const uri = normalizeUri(`${target}/${rest.join('/')}`);
  const data = change.value;
  const result = ctx.tree.add({ uri, ...(data !== undefined ? { data } : {}), ...(change.meta !== undefined ? { meta: change.meta } : {}) }, change.caller);
  return result.status;
}
