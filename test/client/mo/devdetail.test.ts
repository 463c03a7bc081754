import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../src/core/constants/status.js';
import { createDevDetailPlugin, devDetailNodes } from '../../../src/client/mo/devdetail.js';
import { TreeTemplate } from '../../../src/client/tree/tree-template.js';

const caller = { serverId: 's', roles: 8 };
const limits = { maxDepth: 10, maxTotLen: 200, maxSegLen: 32 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createDevDetailPlugin()],
  limits,
  nodes: devDetailNodes({ devTyp: 'phone', oem: 'O', fwV: '1.0', swV: '2.0', hwV: '3', lrgObj: true, limits }),
}).instantiate();

describe('DevDetail management object', () => {
  it('reports the URI limits the tree enforces, as int leaves', () => {
    const t = tree();
    const r = t.get('./DevDetail/URI/MaxSegLen', caller);
    assert.deepEqual(r.items?.[0]?.meta, { format: 'int', type: 'text/plain', size: 2 });
    assert.equal(r.items?.[0]?.data, '32');
    assert.equal(t.get(`./DevDetail/${'x'.repeat(33)}`, caller).status, Status.URI_TOO_LONG);
  });

  it('holds DevTyp, OEM, FwV, SwV, HwV and LrgObj (bool)', () => {
    const t = tree();
    assert.equal(t.get('./DevDetail', caller).items?.[0]?.data, 'URI/DevTyp/OEM/FwV/SwV/HwV/LrgObj/Ext/Bearer');
    assert.deepEqual(t.get('./DevDetail/LrgObj', caller).items?.[0]?.meta, { format: 'bool', type: 'text/plain', size: 4 });
    assert.equal(t.readValue('./DevDetail/SwV'), '2.0');
  });

  it('is Get-only for servers while the agent may change FwV', () => {
    const t = tree();
    assert.equal(t.replace({ uri: './DevDetail/FwV', data: '9' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    t.writeValue('./DevDetail/FwV', '1.1');
    assert.equal(t.get('./DevDetail/FwV', caller).items?.[0]?.data, '1.1');
  });
});
