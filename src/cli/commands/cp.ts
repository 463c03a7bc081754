/**
 * `omadm cp decode|encode`: OMA Client Provisioning documents (XML, WBXML) and their WAP pushes
 * (SEC/MAC, X-MS-DESC). See docs/reference/client-provisioning.md.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { PDU_TYPE_PUSH } from '../../core/notification/wap-push.js';
import type { CpDocument } from '../../core/provisioning/cp-document.js';
import { decodeCpPush, encodeCpPush, type DecodedCpPush } from '../../core/provisioning/cp-push.js';
import { createCpMac, secMethodName, userPinMacPin, verifyCpMac, type CpSecMethod } from '../../core/provisioning/cp-security.js';
import { decodeCpWbxml, encodeCpWbxml } from '../../core/provisioning/cp-wbxml.js';
import { decodeCpXml, encodeCpXml } from '../../core/provisioning/cp-xml.js';
import { findW7, validateW7 } from '../../core/provisioning/w7.js';
import { readInput, writeOutput } from '../io.js';

interface DecodeOpts {
  push?: boolean;
  pin?: string;
  imsi?: string;
  json?: boolean;
}

interface EncodeOpts {
  format?: string;
  wbxml?: boolean;
  push?: boolean;
  sec?: string;
  pin?: string;
  imsi?: string;
  desc?: string;
  appId?: string;
  stringTable: boolean;
  wbxmlVersion: string;
  out?: string;
}

/** Registers `cp decode` and `cp encode`. */
export function registerCpCommands(program: Command): void {
  const cp = program.command('cp').description('encode or decode OMA Client Provisioning documents and pushes');

  cp.command('decode')
    .description('print a provisioning document (XML, WBXML or a WAP push) as XML, check its w7 applications and, with --pin/--imsi, its MAC')
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--push', 'the input is a WSP push PDU (detected when omitted)')
    .option('--pin <pin>', 'user PIN to verify the MAC with')
    .option('--imsi <imsi>', 'IMSI to verify a NETWPIN / USERNETWPIN MAC with')
    .option('--json', 'print JSON (push fields, document, findings) instead of XML', false)
    .action((file: string, o: DecodeOpts) => {
      const bytes = readInput(file);
      const push = o.push === true || (o.push === undefined && looksLikePush(bytes)) ? decodeCpPush(bytes) : undefined;
      const body = push?.body ?? bytes;
      const doc = decodeDocument(body, push?.format);
      const problems = findW7(doc).flatMap((c) => validateW7(c));
      const mac = push === undefined ? undefined : checkMac(push, o);
      if (o.json === true) {
        const pushInfo = push === undefined ? undefined : {
          format: push.format, sec: push.sec, mac: push.mac, description: push.description, applicationId: push.applicationId, ...(mac === undefined ? {} : { verified: mac }),
        };
        writeOutput(`${JSON.stringify({ ...(pushInfo === undefined ? {} : { push: pushInfo }), document: doc, problems }, null, 2)}\n`);
      } else {
        writeOutput(`${encodeCpXml(doc, { indent: '  ' })}\n`);
        if (push !== undefined) {
          const sec = push.sec === undefined ? 'unsigned' : `SEC ${String(push.sec)}, MAC ${push.mac ?? '(none)'}`;
          process.stderr.write(`push: ${push.format}, ${sec}${push.description === undefined ? '' : `, X-MS-DESC "${push.description}"`}${mac === undefined ? '' : `, MAC ${mac ? 'verified' : 'DOES NOT MATCH'}`}\n`);
        }
        for (const p of problems) process.stderr.write(`${p.severity}: ${p.parm}: ${p.message}\n`);
      }
      if (mac === false) throw new ConfigError(ErrorCode.ERR_CP_MAC_INVALID, 'the MAC does not match (wrong PIN/IMSI or altered document)');
      if (problems.some((p) => p.severity === 'error')) throw new ConfigError(ErrorCode.ERR_CP_INVALID, 'the document has invalid w7 applications');
    });

  cp.command('encode')
    .description('encode an XML provisioning document as XML, WBXML or a signed WAP push')
    .argument('[file]', 'XML input file, or - for standard input', '-')
    .option('--format <format>', 'xml or wbxml (default xml; wbxml with --push)')
    .option('--wbxml', 'same as --format wbxml')
    .option('--no-string-table', 'WBXML without a string table (as xml2wbxml -n)')
    .option('--wbxml-version <v>', 'WBXML version 1.1, 1.2 or 1.3', '1.3')
    .option('--push', 'wrap the document in a WSP push PDU (content type 0x36 / 0x35)')
    .option('--sec <method>', 'sign the push: NETWPIN, USERPIN, USERNETWPIN or USERPINMAC')
    .option('--pin <pin>', 'user PIN (USERPINMAC: the key digits; the full PIN is printed)')
    .option('--imsi <imsi>', 'IMSI for NETWPIN / USERNETWPIN')
    .option('--desc <text>', 'X-MS-DESC header (the PIN prompt text on Windows Mobile)')
    .option('--app-id <id>', 'X-WAP-Application-ID (e.g. x-wap-microsoft:cfgmgr.ua)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((file: string, o: EncodeOpts) => {
      const doc = decodeCpXml(readInput(file));
      const format = o.wbxml === true ? 'wbxml' : (o.format ?? (o.push === true ? 'wbxml' : 'xml'));
      if (format !== 'xml' && format !== 'wbxml') throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--format must be xml or wbxml, not "${format}"`);
      const body = encodeBody(doc, format, o);
      let out: Uint8Array | string = format === 'xml' ? Buffer.from(body).toString('utf8') : body;
      if (o.push === true) {
        const signed = sign(body, o);
        out = encodeCpPush({
          body, format,
          ...(signed === undefined ? {} : { sec: signed.sec, mac: signed.mac }),
          ...(o.desc === undefined ? {} : { description: o.desc }),
          ...(o.appId === undefined ? {} : { applicationId: o.appId }),
        });
        if (signed?.pin !== undefined) process.stderr.write(`USERPINMAC PIN: ${signed.pin}\n`);
      } else if (o.sec !== undefined) {
        throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, '--sec needs --push (the MAC travels in the push header)');
      }
      if (o.out !== undefined) writeFileSync(o.out, out);
      else writeOutput(out);
    });
}

function looksLikePush(bytes: Uint8Array): boolean {
  // A WSP push is TID, PDU type 0x06, …; a WBXML document starts with its version byte 0x00..0x03
  // and an XML document with '<' or a BOM.
  return bytes.length > 3 && bytes[1] === PDU_TYPE_PUSH && bytes[0] !== 0x3c;
}

function decodeDocument(body: Uint8Array, format: 'wbxml' | 'xml' | undefined): CpDocument {
  const isWbxml = format === 'wbxml' || (format === undefined && body.length > 0 && (body[0] ?? 0xff) <= 0x03);
  return isWbxml ? decodeCpWbxml(body) : decodeCpXml(body);
}

function encodeBody(doc: CpDocument, format: 'xml' | 'wbxml', o: EncodeOpts): Uint8Array {
  if (format === 'xml') return new Uint8Array(Buffer.from(encodeCpXml(doc), 'utf8'));
  const versions: Record<string, 0x01 | 0x02 | 0x03> = { '1.1': 0x01, '1.2': 0x02, '1.3': 0x03 };
  const version = versions[o.wbxmlVersion];
  if (version === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--wbxml-version must be 1.1, 1.2 or 1.3, not "${o.wbxmlVersion}"`);
  return encodeCpWbxml(doc, { version, stringTable: o.stringTable });
}

function sign(body: Uint8Array, o: EncodeOpts): { sec: CpSecMethod; mac: string; pin?: string } | undefined {
  if (o.sec === undefined) return undefined;
  const sec = secMethodName(o.sec);
  if (sec === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--sec must be NETWPIN, USERPIN, USERNETWPIN or USERPINMAC, not "${o.sec}"`);
  const pin = sec === 'USERPINMAC' && o.pin !== undefined ? userPinMacPin({ keyDigits: o.pin, document: body }) : o.pin;
  const mac = createCpMac({ sec, document: body, ...(pin === undefined ? {} : { userPin: pin }), ...(o.imsi === undefined ? {} : { imsi: o.imsi }) });
  return sec === 'USERPINMAC' && pin !== undefined ? { sec, mac, pin } : { sec, mac };
}

function checkMac(push: DecodedCpPush, o: DecodeOpts): boolean | undefined {
  if (push.sec === undefined || (o.pin === undefined && o.imsi === undefined)) return undefined;
  return verifyCpMac({
    sec: typeof push.sec === 'string' ? (secMethodName(push.sec) ?? 0xff) : push.sec,
    document: push.body, mac: push.mac,
    ...(o.pin === undefined ? {} : { userPin: o.pin }), ...(o.imsi === undefined ? {} : { imsi: o.imsi }),
  });
}
