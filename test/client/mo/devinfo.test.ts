import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../src/core/constants/status.js';
import { createDevInfoPlugin, devInfoNodes } from '../../../src/client/mo/devinfo.js';
import { TreeTemplate } from '../../../src/client/tree/tree-template.js';

const caller = { serverId: 's', roles: 8 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createDevInfoPlugin()],
  nodes: devInfoNodes({ devId: 'urn:uuid:1', man: 'M', mod: 'D', dmV: '1.2', lang: 'en', ext: { Color: 'red' }, bearer: { GSM: '900' } }),
}).instantiate();

describe('DevInfo management object', () => {
  it('holds DevId, Man, Mod, DmV, Lang and the optional Ext / Bearer', () => {
    const t = tree();
    assert.equal(t.get('./DevInfo', caller).items?.[0]?.data, 'DevId/Man/Mod/DmV/Lang/Ext/Bearer');
    assert.equal(t.readValue('./DevInfo/DmV'), '1.2');
    assert.equal(t.get('./DevInfo/Ext/Color', caller).items?.[0]?.data, 'red');
    assert.equal(t.readValue('./DevInfo/Bearer/GSM'), '900');
  });

  it('carries the DevInfo MO identifier as the Type of ./DevInfo', () => {
    assert.equal(tree().get('./DevInfo?prop=Type', caller).items?.[0]?.data, 'urn:oma:mo:oma-dm-devinfo:1.0');
  });

  it('is Get-only: Replace, Add and Delete are 405', () => {
    const t = tree();
    assert.equal(t.replace({ uri: './DevInfo/Lang', data: 'fr' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(t.replace({ uri: './DevInfo/Ext/Color', data: 'blue' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(t.add({ uri: './DevInfo/Ext/New', data: 'x' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(t.delete('./DevInfo/Ext', caller).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('is readable by any server (ACL Get=*)', () => {
    assert.equal(tree().get('./DevInfo/DevId', { serverId: 'other', roles: 0 }).status, Status.OK);
  });
});
