import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { el } from '../../../src/core/codec/element.js';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { CodecError } from '../../../src/core/errors.js';
import { ddfFromElement } from '../../../src/core/tnds/ddf.js';

const vector = (name: string): string => readFileSync(new URL(`../../../../shared/vectors/${name}`, import.meta.url), 'utf8');

const DDF = `<?xml version="1.0"?>
<MgmtTree xmlns="syncml:dmddf1.2" xmlns:MSFT="http://schemas.microsoft.com/MobileDevice/DM">
  <VerDTD>1.2</VerDTD><Man>Acme</Man><Mod>Widget</Mod>
  <Node>
    <NodeName>Widget</NodeName>
    <Path>./Vendor/Acme</Path>
    <DFProperties>
      <AccessType><Get/></AccessType>
      <DFFormat><node/></DFFormat>
      <Occurrence><One/></Occurrence>
      <Scope><Permanent/></Scope>
      <DFType><DDFName>urn:acme:mo:widget:1.0</DDFName></DFType>
    </DFProperties>
    <Node>
      <NodeName/>
      <DFProperties>
        <AccessType><Add/><Copy/><Delete/><Get/><Replace/></AccessType>
        <DFFormat><node/></DFFormat>
        <Occurrence><ZeroOrN>8</ZeroOrN></Occurrence>
        <Scope><Dynamic/></Scope>
        <DFTitle>One profile per server.</DFTitle>
        <DFType><DDFName/></DFType>
        <CaseSense><CIS/></CaseSense>
      </DFProperties>
      <Node>
        <NodeName>Level</NodeName>
        <DFProperties>
          <AccessType><Get/><Replace/></AccessType>
          <DefaultValue>3</DefaultValue>
          <Description>Verbosity, 0 to 5.</Description>
          <DFFormat><int/></DFFormat>
          <Occurrence><ZeroOrOne/></Occurrence>
          <DFType><MIME>text/plain</MIME></DFType>
          <MSFT:AllowedValues ValueType="Range"><MSFT:Value>[0-5]</MSFT:Value></MSFT:AllowedValues>
        </DFProperties>
      </Node>
    </Node>
  </Node>
</MgmtTree>`;

describe('ddfFromElement', () => {
  it('reads DFProperties and skips Microsoft extension elements', () => {
    const t = ddfFromElement(decodeXmlDocument(DDF).root);
    assert.equal(t.man, 'Acme');
    const widget = t.nodes[0];
    assert.deepEqual(widget?.description, {
      accessType: ['Get'], format: 'node', occurrence: { kind: 'One' }, scope: 'Permanent',
      type: { kind: 'DDFName', value: 'urn:acme:mo:widget:1.0' },
    });
    assert.equal(widget?.path, './Vendor/Acme');
    const profile = widget?.children[0];
    assert.equal(profile?.name, '');
    assert.deepEqual(profile?.description, {
      accessType: ['Add', 'Copy', 'Delete', 'Get', 'Replace'], format: 'node', occurrence: { kind: 'ZeroOrN', max: 8 },
      scope: 'Dynamic', title: 'One profile per server.', type: { kind: 'DDFName', value: '' }, caseSense: 'CIS',
    });
    assert.deepEqual(profile?.children[0]?.description, {
      accessType: ['Get', 'Replace'], defaultValue: '3', description: 'Verbosity, 0 to 5.', format: 'int',
      occurrence: { kind: 'ZeroOrOne' }, type: { kind: 'MIME', value: 'text/plain' },
    });
  });

  it('reads the runtime properties and values of the libwbxml MgmtTree vector', () => {
    const t = ddfFromElement(decodeXmlDocument(vector('libwbxml-ddf-001-tnds-mgmttree.ddf')).root);
    const email = t.nodes[0];
    assert.equal(email?.name, 'E-Mail');
    assert.deepEqual(email?.runtime, { format: 'node', type: { kind: 'DDFName', value: 'com.operatorX.dm/1.0/EMail' } });
    assert.deepEqual(email?.children[0]?.children.map((n) => [n.name, n.value]), [
      ['POPServer', 'mail.Operatorx.com'], ['UserID', 'UserName'], ['PWD', '4571F7C34A9876B3'],
    ]);
  });

  it('rejects unknown keywords with ERR_TNDS_INVALID and the element path', () => {
    const bad = (df: ReturnType<typeof el>, path: string): void => {
      const root = el('MgmtTree', [el('VerDTD', ['1.2']), el('Node', [el('NodeName', ['N']), el('DFProperties', [df])])]);
      assert.throws(() => ddfFromElement(root), (e: unknown) => e instanceof CodecError && e.code === 'ERR_TNDS_INVALID' && e.position.path === path);
    };
    bad(el('AccessType', [el('Fly')]), 'MgmtTree/Node/DFProperties/AccessType/Fly');
    bad(el('Scope', [el('Forever')]), 'MgmtTree/Node/DFProperties/Scope/Forever');
    bad(el('Occurrence', [el('OneOrN', ['many'])]), 'MgmtTree/Node/DFProperties/Occurrence/OneOrN');
    bad(el('Colour'), 'MgmtTree/Node/DFProperties/Colour');
  });
});
