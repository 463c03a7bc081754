#!/usr/bin/env node
// Enforces the dependency rules of docs/architecture.md: core has no I/O and imports no other layer;
// client and server never import each other; web imports no runtime code from src.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const root = resolve('src');
const rules = {
  core: { layers: ['client', 'server', 'cli', 'web'], modules: ['node:net', 'node:http', 'node:https', 'node:fs', 'node:fs/promises', 'node:dgram', 'node:child_process', 'better-sqlite3', 'pg', 'fastify'] },
  client: { layers: ['server', 'cli', 'web'], modules: ['better-sqlite3', 'pg', 'fastify'] },
  server: { layers: ['client', 'cli', 'web'], modules: [] },
  cli: { layers: ['web'], modules: [] },
  web: { layers: ['core', 'client', 'server', 'cli'], modules: [] },
};
function files(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx|js)$/.test(e.name) ? [join(dir, e.name)] : []);
  } catch { return []; }
}
const problems = [];
for (const [layer, rule] of Object.entries(rules)) {
  for (const file of files(join(root, layer))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const isType = Boolean(m[2]);
      const spec = m[3] ?? m[4] ?? m[5];
      if (rule.modules.includes(spec) && !isType) problems.push(`${relative('.', file)}: ${layer} must not import ${spec}`);
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), spec)).split(/[\\/]/)[0];
        if (rule.layers.includes(target) && !(layer === 'web' && isType)) problems.push(`${relative('.', file)}: ${layer} must not import from ${target}/`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layer rules: ok');
