/** `omadm decode` / `omadm encode`: convert DM messages between WBXML and XML. */
import type { Command } from 'commander';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { detectEncoding } from '../../core/codec/message-codec.js';
import { decodeXmlBytes } from '../../core/codec/xml/decode-xml.js';
import { encodeXmlDocument } from '../../core/codec/xml/encode-xml.js';
import { decodeWbxmlDocument } from '../../core/codec/wbxml/decode-wbxml.js';
import { encodeWbxmlDocument } from '../../core/codec/wbxml/encode-wbxml.js';
import type { DmDocument } from '../../core/codec/element.js';
import { messageFromElement } from '../../core/syncml/from-element.js';
import { messageToDocument } from '../../core/syncml/to-element.js';
import { readInput, writeOutput } from '../io.js';

/** Decodes XML or WBXML (told apart by the bytes) into an element document. */
export function decodeAny(bytes: Uint8Array): DmDocument {
  return detectEncoding(bytes) === 'wbxml' ? decodeWbxmlDocument(bytes) : decodeXmlBytes(bytes);
}

/**
 * A SyncML message goes through the typed model, which validates it and decides what OPAQUE Data
 * is (text in Add/Replace items, bytes only for binary items), so XML output shows text as text.
 * Other documents (TNDS, provisioning) are converted as element trees.
 */
function prepare(doc: DmDocument, target: 'xml' | 'wbxml'): DmDocument {
  if (doc.root.name !== 'SyncML') return doc;
  return messageToDocument(messageFromElement(doc.root), { binary: target === 'xml' ? 'base64' : 'bytes' });
}

/** Registers `decode` and `encode`. */
export function registerCodecCommands(program: Command): void {
  program
    .command('decode')
    .description('decode a DM message (WBXML or XML, detected from the bytes) and print it as indented XML')
    .argument('[file]', 'input file, or - for standard input', '-')
    .action((file: string) => {
      const doc = prepare(decodeAny(readInput(file)), 'xml');
      writeOutput(encodeXmlDocument(doc, { declaration: true, doctype: true, indent: '  ' }) + '\n');
    });

  program
    .command('encode')
    .description('encode a DM message (XML or WBXML) to the chosen format on standard output')
    .requiredOption('--to <format>', 'wbxml or xml')
    .option('--wbxml-version <v>', 'WBXML version byte: 1.2 or 1.3', '1.2')
    .option('--string-table', 'use a WBXML string table', false)
    .argument('[file]', 'input file, or - for standard input', '-')
    .action((file: string, opts: { to: string; wbxmlVersion: string; stringTable: boolean }) => {
      if (opts.to !== 'xml' && opts.to !== 'wbxml') throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--to must be wbxml or xml, not "${opts.to}"`);
      const doc = prepare(decodeAny(readInput(file)), opts.to);
      if (opts.to === 'xml') {
        writeOutput(encodeXmlDocument(doc, { declaration: true, doctype: true }));
      } else if (opts.to === 'wbxml') {
        const version = opts.wbxmlVersion === '1.3' ? 0x03 : opts.wbxmlVersion === '1.2' ? 0x02 : undefined;
        if (version === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--wbxml-version must be 1.2 or 1.3, not "${opts.wbxmlVersion}"`);
        writeOutput(encodeWbxmlDocument(doc, { version, stringTable: opts.stringTable }));
      } else {
        throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--to must be wbxml or xml, not "${opts.to}"`);
      }
    });
}
