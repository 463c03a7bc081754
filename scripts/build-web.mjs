#!/usr/bin/env node
// Builds the dashboard (src/web) for browsers into dist/web: each TypeScript module is transpiled
// on its own (type-only imports vanish; `tsc -p tsconfig.web.json` type-checks them in `npm test`),
// and the HTML and CSS are copied. Browsers load the ES modules as they are: no bundler needed.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const SRC = 'src/web';
const OUT = 'dist/web';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

rmSync(OUT, { recursive: true, force: true });
for (const file of files(SRC)) {
  const rel = relative(SRC, file);
  if (file.endsWith('.ts')) {
    const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: true },
    });
    if (diagnostics?.length) {
      for (const d of diagnostics) console.error(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      process.exit(1);
    }
    const out = join(OUT, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  } else {
    mkdirSync(dirname(join(OUT, rel)), { recursive: true });
    copyFileSync(file, join(OUT, rel));
  }
}
