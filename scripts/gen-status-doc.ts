/** Writes docs/reference/status-codes.md from the constants, so the page cannot drift from the code. */
import { writeFileSync } from 'node:fs';
import { Status, statusMeaning } from '../src/core/constants/status.js';
import { AlertCode, alertMeaning } from '../src/core/constants/alert.js';
import { FumoResult, FumoState, fumoResultMeaning, fumoStateMeaning } from '../src/core/constants/fumo.js';

/** The page's Markdown. */
export function renderStatusDoc(): string {
  const lines = [
    '# Status, alert and FUMO codes',
    '',
    'Generated from `src/core/constants/` by `node --import tsx scripts/gen-status-doc.ts`; a test checks it is current.',
    'Parsed codes are plain numbers: codes not listed here decode fine and print as `UNKNOWN`.',
    '',
    '## Status codes (`Status`)',
    '',
    '| Code | Constant | Meaning |',
    '|---|---|---|',
    ...Object.entries(Status).map(([k, v]) => `| ${v} | \`Status.${k}\` | ${statusMeaning(v)} |`),
    '',
    '## Alert codes (`AlertCode`)',
    '',
    '| Code | Constant | Meaning |',
    '|---|---|---|',
    ...Object.entries(AlertCode).map(([k, v]) => `| ${v} | \`AlertCode.${k}\` | ${alertMeaning(v)} |`),
    '',
    '## FUMO states (`FumoState`)',
    '',
    '| Value | Constant | Meaning |',
    '|---|---|---|',
    ...Object.entries(FumoState).map(([k, v]) => `| ${v} | \`FumoState.${k}\` | ${fumoStateMeaning(v)} |`),
    '',
    '## FUMO result codes (`FumoResult`)',
    '',
    '| Code | Constant | Meaning |',
    '|---|---|---|',
    ...Object.entries(FumoResult).map(([k, v]) => `| ${v} | \`FumoResult.${k}\` | ${fumoResultMeaning(v)} |`),
    '',
    'Vendor ranges: 250–299 successful, 450–499 client error, 550–599 download server error.',
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('docs/reference/status-codes.md', renderStatusDoc());
}
