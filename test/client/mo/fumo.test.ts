import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FumoAlertType, FumoResult, FumoState } from '../../../src/core/constants/fumo.js';
import { Status } from '../../../src/core/constants/status.js';
import { createDevDetailPlugin, devDetailNodes } from '../../../src/client/mo/devdetail.js';
import { createDevInfoPlugin, devInfoNodes } from '../../../src/client/mo/devinfo.js';
import { type FumoPluginOptions, createFumoPlugin } from '../../../src/client/mo/fumo.js';
import type { FirmwareDeviceInfo, FirmwareUpdater, FumoFailure, InstallOutcome } from '../../../src/client/mo/fumo-updater.js';
import type { ManagementTree } from '../../../src/client/tree/management-tree.js';
import type { GenericAlert } from '../../../src/client/tree/plugin.js';
import { TreeTemplate } from '../../../src/client/tree/tree-template.js';

const server = { serverId: 'srv', roles: 8 };
const PKG = './FwUpdate/pkg1';

/** A firmware updater the test drives: results are set up front, or released by hand. */
class FakeUpdater implements FirmwareUpdater {
  downloadResult: Uint8Array | FumoFailure = new Uint8Array([1, 2, 3]);
  installResult: InstallOutcome = { ok: true, resultCode: 200, newFwV: '2.0', newSwV: '6.5.1' };
  gate: Promise<void> | undefined;
  readonly calls: string[] = [];
  installed: Uint8Array | undefined;
  readonly downloadedFor: Array<FirmwareDeviceInfo | undefined> = [];

  async download(url: string, _onProgress?: unknown, device?: FirmwareDeviceInfo): Promise<Uint8Array | FumoFailure> {
    this.calls.push(`download ${url}`);
    this.downloadedFor.push(device);
    await this.gate;
    return this.downloadResult;
  }

  async install(pkg: Uint8Array, device: { mod: string; fwV: string }): Promise<InstallOutcome> {
    this.calls.push(`install ${device.mod} ${device.fwV}`);
    this.installed = pkg;
    await this.gate;
    return this.installResult;
  }
}

function deferred(): { promise: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((r) => { release = r; });
  return { promise, release };
}

function setup(updater: FirmwareUpdater, options: Partial<FumoPluginOptions> = {}): {
  template: TreeTemplate; tree: ManagementTree; alerts: GenericAlert[]; states: string[];
} {
  const template = TreeTemplate.build({
    plugins: [createDevInfoPlugin(), createDevDetailPlugin(), createFumoPlugin({ updater, ...options })],
    rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
    nodes: [
      ...devInfoNodes({ devId: 'imei:1', man: 'M', mod: 'X1', dmV: '1.2', lang: 'en' }),
      ...devDetailNodes({ devTyp: 'phone', oem: 'O', fwV: '1.0', swV: '6.5.0', hwV: 'A', lrgObj: true, limits: {} }),
    ],
  });
  const alerts: GenericAlert[] = [];
  const tree = template.instantiate({ alerts: { queueGenericAlert: (a) => alerts.push(a) } });
  const states: string[] = [];
  const write = tree.writeValue.bind(tree);
  tree.writeValue = (uri, value, format) => {
    if (uri.endsWith('/State')) states.push(value);
    write(uri, value, format);
  };
  return { template, tree, alerts, states };
}

const state = (tree: ManagementTree): string | undefined => tree.get(`${PKG}/State`, server).items?.[0]?.data as string | undefined;

describe('FUMO management object', () => {
  it('tells the updater which device downloads (one updater may serve a whole fleet)', async () => {
    const updater = new FakeUpdater();
    const { tree } = setup(updater);
    tree.add({ uri: `${PKG}/Download/PkgURL`, data: 'https://fw.example.com/p.bin' }, server);
    assert.equal((await tree.exec({ uri: `${PKG}/Download` }, server)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
    assert.deepEqual(updater.downloadedFor, [{ devId: 'imei:1', man: 'M', mod: 'X1', fwV: '1.0', swV: '6.5.0' }]);
  });

  it('runs DownloadAndUpdate: 202, States 30 → 50 → 60 → 100, new FwV/SwV, Generic Alert 1226 with the Correlator', async () => {
    const updater = new FakeUpdater();
    const { tree, alerts, states } = setup(updater);
    assert.equal(tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'https://fw.example.com/p.bin' }, server).status, Status.OK);
    assert.equal(tree.add({ uri: `${PKG}/PkgName`, data: 'Package1' }, server).status, Status.OK);
    assert.equal(state(tree), '10');
    const r = await tree.exec({ uri: `${PKG}/DownloadAndUpdate`, correlator: 'abc123' }, server);
    assert.equal(r.status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
    assert.deepEqual(states, ['30', '50', '60', '100']);
    assert.equal(state(tree), String(FumoState.UPDATE_SUCCESSFUL_NO_DATA));
    assert.equal(tree.readValue('./DevDetail/FwV'), '2.0');
    assert.equal(tree.readValue('./DevDetail/SwV'), '6.5.1');
    assert.deepEqual(updater.calls, ['download https://fw.example.com/p.bin', 'install X1 1.0']);
    assert.deepEqual(alerts, [{
      source: `${PKG}/DownloadAndUpdate`, type: FumoAlertType.DOWNLOAD_AND_UPDATE, format: 'int', mark: 'informational',
      data: '200', correlator: 'abc123',
    }]);
    assert.equal(tree.exists(`${PKG}/Update/PkgData`), false);
    assert.deepEqual(tree.pluginDataEntries(), []);
  });

  it('runs Download then Update as two operations (States 40, then 100) with their own alert types', async () => {
    const { tree, alerts } = setup(new FakeUpdater());
    tree.add({ uri: `${PKG}/Download/PkgURL`, data: 'http://x/p' }, server);
    assert.equal((await tree.exec({ uri: `${PKG}/Download` }, server)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
    assert.equal(state(tree), String(FumoState.DOWNLOAD_COMPLETE));
    assert.equal((await tree.exec({ uri: `${PKG}/Update`, correlator: 'u1' }, server)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
    assert.equal(state(tree), '100');
    assert.deepEqual(alerts.map((a) => [a.type, a.data, a.correlator]), [
      [FumoAlertType.DOWNLOAD, '200', undefined], [FumoAlertType.UPDATE, '200', 'u1'],
    ]);
  });

  it('reports a failed download with State 20, the updater result code and a non-informational Mark', async () => {
    const updater = new FakeUpdater();
    updater.downloadResult = { resultCode: FumoResult.DOWNLOAD_NETWORK_ERROR };
    const { tree, alerts } = setup(updater);
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server);
    await tree.whenIdle();
    assert.equal(state(tree), '20');
    assert.equal(alerts[0]?.data, '503');
    assert.equal(alerts[0]?.mark, 'warning');
    assert.equal(alerts[0]?.correlator, undefined);
  });

  it('reports a failed install with State 70 (package kept) and Mark critical', async () => {
    const updater = new FakeUpdater();
    updater.installResult = { ok: false, resultCode: FumoResult.CORRUPTED_PACKAGE };
    const { tree, alerts } = setup(updater);
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server);
    await tree.whenIdle();
    assert.equal(state(tree), '70');
    assert.deepEqual([alerts[0]?.data, alerts[0]?.mark], ['402', 'critical']);
    assert.equal(tree.readValue('./DevDetail/FwV'), '1.0');
    assert.ok(tree.exists(`${PKG}/Update/PkgData`));
  });

  it('fails an Update without package data with State 80 and result 400', async () => {
    const { tree, alerts } = setup(new FakeUpdater());
    tree.add({ uri: PKG, meta: { format: 'node' } }, server);
    assert.equal(tree.get(PKG, server).items?.[0]?.data, 'State');
    tree.add({ uri: `${PKG}/Update`, meta: { format: 'node' } }, server);
    assert.equal((await tree.exec({ uri: `${PKG}/Update` }, server)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
    assert.equal(state(tree), '80');
    assert.equal(alerts[0]?.data, '400');
  });

  it('installs a package written over DM to Update/PkgData (Replace creates it; State 40; no Get)', async () => {
    const updater = new FakeUpdater();
    const { tree } = setup(updater, { keepPackage: true });
    tree.add({ uri: PKG, meta: { format: 'node' } }, server);
    assert.equal(tree.replace({ uri: `${PKG}/Update/PkgData`, data: new Uint8Array([9, 8]), meta: { format: 'bin' } }, server).status, Status.OK);
    assert.equal(state(tree), '40');
    assert.equal(tree.get(`${PKG}/Update/PkgData`, server).status, Status.COMMAND_NOT_ALLOWED);
    await tree.exec({ uri: `${PKG}/Update` }, server);
    await tree.whenIdle();
    assert.deepEqual(updater.installed, new Uint8Array([9, 8]));
    assert.equal(state(tree), String(FumoState.UPDATE_SUCCESSFUL_HAVE_DATA));
  });

  it('refuses a second Exec, a Delete and writes while an operation runs (405)', async () => {
    const updater = new FakeUpdater();
    const gate = deferred();
    updater.gate = gate.promise;
    const { tree } = setup(updater);
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server);
    assert.equal(state(tree), '30');
    assert.equal((await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server)).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.delete(PKG, server).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.replace({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://y' }, server).status, Status.COMMAND_NOT_ALLOWED);
    gate.release();
    await tree.whenIdle();
    assert.equal(tree.delete(PKG, server).status, Status.OK);
  });

  it('answers 404 for an Exec whose PkgURL is missing, 405 on a non-operation node, and keeps State Get-only', async () => {
    const { tree } = setup(new FakeUpdater());
    tree.add({ uri: `${PKG}/Download`, meta: { format: 'node' } }, server);
    assert.equal((await tree.exec({ uri: `${PKG}/Download` }, server)).status, Status.NOT_FOUND);
    assert.equal((await tree.exec({ uri: `${PKG}/State` }, server)).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.replace({ uri: `${PKG}/State`, data: '100' }, server).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('requires a Correlator when configured like Windows Mobile (400 without)', async () => {
    const { tree } = setup(new FakeUpdater(), { requireCorrelator: true });
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    assert.equal((await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server)).status, Status.BAD_REQUEST);
    assert.equal((await tree.exec({ uri: `${PKG}/DownloadAndUpdate`, correlator: 'c' }, server)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
  });

  it('resumes an interrupted download after a restart from the persisted state', async () => {
    const first = new FakeUpdater();
    first.gate = new Promise<void>(() => undefined); // the device "dies" mid-download
    const { tree } = setup(first);
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    await tree.exec({ uri: `${PKG}/DownloadAndUpdate`, correlator: 'c9' }, server);
    const saved = JSON.parse(JSON.stringify(tree.snapshot()));
    assert.equal(saved.nodes.find((n: { uri: string }) => n.uri === `${PKG}/State`)?.value, '30');
    // After a restart the process builds a new template (with a working updater) and loads the state.
    const alerts: GenericAlert[] = [];
    const second = new FakeUpdater();
    const resumed = setup(second).template.instantiate({ snapshot: saved, alerts: { queueGenericAlert: (a) => alerts.push(a) } });
    resumed.resume();
    await resumed.whenIdle();
    assert.equal(resumed.readValue(`${PKG}/State`), '100');
    assert.deepEqual(alerts.map((a) => [a.data, a.correlator]), [['200', 'c9']]);
    assert.equal(second.calls[0], 'download http://x/p');
  });

  it('fails an install interrupted by a restart cleanly: State 70, result 410, no retry', async () => {
    const updater = new FakeUpdater();
    const gate = deferred();
    const { template, tree } = setup(updater);
    tree.add({ uri: `${PKG}/DownloadAndUpdate/PkgURL`, data: 'http://x/p' }, server);
    const hold = new Promise<void>(() => undefined);
    updater.install = async (pkg) => { updater.installed = pkg; gate.release(); await hold; return updater.installResult; };
    await tree.exec({ uri: `${PKG}/DownloadAndUpdate` }, server);
    await gate.promise;
    assert.equal(tree.readValue(`${PKG}/State`), '60');
    const alerts: GenericAlert[] = [];
    const revived = template.instantiate({ snapshot: tree.snapshot(), alerts: { queueGenericAlert: (a) => alerts.push(a) } });
    revived.resume();
    await revived.whenIdle();
    assert.equal(revived.readValue(`${PKG}/State`), '70');
    assert.deepEqual(alerts.map((a) => [a.data, a.mark]), [['410', 'critical']]);
    assert.deepEqual(revived.pluginDataEntries(), []);
  });

  it('keeps alerts in the tree until a sink is set when the agent gave none', async () => {
    const template = TreeTemplate.build({
      plugins: [createFumoPlugin({ updater: new FakeUpdater() })], rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
    });
    const tree = template.instantiate();
    tree.add({ uri: `${PKG}/Download/PkgURL`, data: 'http://x/p' }, server);
    await tree.exec({ uri: `${PKG}/Download` }, server);
    await tree.whenIdle();
    const got: GenericAlert[] = [];
    tree.setAlertSink({ queueGenericAlert: (a) => got.push(a) });
    assert.equal(got[0]?.type, FumoAlertType.DOWNLOAD);
    assert.deepEqual(tree.takeAlerts(), []);
  });
});
