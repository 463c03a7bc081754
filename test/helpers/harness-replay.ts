/**
 * Replays the tree commands of the AOSP DMT harness scripts (shared/vectors/aosp-omadm-dm1x-
 * testinput1x.txt) against a DeviceTree, and reads which of them the golden transcript
 * (testoutput1x.txt) reports as failed. Server-package commands (processscript, Exec, dump,
 * clone, credentials) are the session engine's business and are skipped.
 */
import { readFileSync } from 'node:fs';
import type { DeviceTree, TreeCaller, TreeSavepoint } from '../../src/client/tree/tree-api.js';

/** One replayed harness command. */
export interface HarnessStep {
  /** The command line as in the script. */
  readonly line: string;
  /** Status our tree answered. */
  readonly status: number;
  /** True when the transcript shows the command failing. */
  readonly expectedFailure: boolean;
}

const FORMAT_OF: Readonly<Record<string, string>> = {
  createlf: 'float', createld: 'date', createlt: 'time', createlb: 'bin', setf: 'float', setd: 'date', sett: 'time',
};
const TREE_COMMANDS = new Set(['get', 'createi', 'createl', 'createlf', 'createld', 'createlt', 'createlb', 'replace', 'setf', 'setd', 'sett', 'delete', 'begin', 'rollback', 'setESN']);

/** Reads a vector file (fails loudly when ../shared is missing). */
export function readVector(name: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  return readFileSync(new URL(`../../../shared/vectors/${name}`, import.meta.url), encoding);
}

/** Commands of the transcript, in order, with their failure flag. */
export function transcriptOutcomes(output: string): Array<{ line: string; failed: boolean }> {
  return output.split('] Cmd: ').slice(1).map((block) => {
    const nl = block.indexOf('\n');
    return { line: (nl < 0 ? block : block.slice(0, nl)).trim(), failed: block.includes('Error!') };
  });
}

/** Runs the tree commands of `script` on `tree`; pairs each with the transcript's outcome. */
export function replayHarness(tree: DeviceTree, options: { script: string; output: string; caller: TreeCaller; version: '11' | '12' }): HarnessStep[] {
  const outcomes = transcriptOutcomes(options.output);
  const steps: HarnessStep[] = [];
  let sp: TreeSavepoint | undefined;
  let cursor = 0;
  for (const raw of options.script.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = outcomes.findIndex((o, i) => i >= cursor && o.line === line);
    const expectedFailure = at >= 0 && (outcomes[at]?.failed ?? false);
    if (at >= 0) cursor = at + 1;
    const [cmd = '', uri = '', ...rest] = line.split(/\s+/);
    if (!TREE_COMMANDS.has(cmd)) continue;
    const value = rest.join(' ');
    let status: number;
    switch (cmd) {
      case 'get': status = tree.get(uri, options.caller).status; break;
      case 'createi': status = tree.add({ uri, meta: { format: 'node' } }, options.caller).status; break;
      case 'createl': status = tree.add({ uri, data: value }, options.caller).status; break;
      case 'createlb': status = tree.add({ uri, data: new Uint8Array(0), meta: { format: 'bin' } }, options.caller).status; break;
      case 'createlf': case 'createld': case 'createlt':
        status = tree.add({ uri, data: value, meta: { format: FORMAT_OF[cmd] ?? 'chr' } }, options.caller).status; break;
      case 'replace': status = tree.replace({ uri, data: value }, options.caller).status; break;
      case 'setf': case 'setd': case 'sett':
        status = tree.replace({ uri, data: value, meta: { format: FORMAT_OF[cmd] ?? 'chr' } }, options.caller).status; break;
      case 'setESN': {
        const file = value.replace(`unittest/dm${options.version}/`, `aosp-omadm-dm${options.version}-`);
        const bytes = new Uint8Array(readFileSync(new URL(`../../../shared/vectors/${file}`, import.meta.url)));
        status = tree.replace({ uri, data: bytes }, options.caller).status;
        break;
      }
      case 'delete': status = tree.delete(uri, options.caller).status; break;
      case 'begin': sp = tree.savepoint(); status = 200; break;
      case 'rollback': status = sp?.rollback() === false ? 516 : 200; sp = undefined; break;
      default: continue;
    }
    steps.push({ line, status, expectedFailure });
  }
  return steps;
}
