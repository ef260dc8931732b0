#!/usr/bin/env node
// Layout check run by `npm test` before vitest (issue 11): the folders of src/ must read as the
// pipeline, so it fails on
//   - an import cycle between top-level folders of src/ (a top-level file such as src/time.ts is a
//     node of its own),
//   - a source file over MAX_LINES lines,
//   - an I/O import (file system, processes, network, InfluxDB client, logger, metrics) from the pure
//     domain in src/ollama/.
// It prints the import graph between folders. README.md's Architecture section shows it in the block
// after README_MARKER; a graph there that differs from the code's is a problem too, and
// `--readme` rewrites that block.
// Usage: node scripts/check-layout.mjs [--readme] [SRC_DIR]   (default: src/ next to this script)

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINES = 300;
export const README_MARKER = '<!-- import graph: node scripts/check-layout.mjs --readme rewrites the block below -->';
const README_BLOCK = new RegExp(`(${README_MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n\`\`\`text\n)([\\s\\S]*?)(\n\`\`\`)`);
/** Folder whose modules must not do I/O, and the module specifiers that count as I/O. */
export const PURE_FOLDER = 'ollama';
const IO_MODULE = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|tls)$|^@influxdata\/|^pino($|\/)|^prom-client($|\/)/;
const SOURCE_FILE = /\.(ts|mts|mjs|js)$/;
// Static imports and re-exports (`import … from 'x'`, `export … from 'x'`, `import 'x'`) and dynamic `import('x')`.
const SPECIFIER = /\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

function listFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** The graph node of a file: its top-level folder under src/, or the file itself when it sits in src/. */
function nodeOf(srcDir, path) {
  const parts = relative(srcDir, path).split(sep);
  return parts.length === 1 ? parts[0].replace(/\.js$/, '.ts') : parts[0];
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Reads the tree under srcDir; returns the folder graph (node -> nodes it imports) and the problems found. */
export function checkLayout(srcDir) {
  const problems = [];
  const graph = new Map();
  // Which file of a folder imports another folder first, so a cycle names a place to look.
  const witness = new Map();
  for (const path of listFiles(srcDir).sort()) {
    const name = relative(srcDir, path);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) problems.push(`${name}: ${lines} lines (at most ${MAX_LINES})`);
    if (!SOURCE_FILE.test(path)) continue;
    const from = nodeOf(srcDir, path);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1];
      if (from === PURE_FOLDER && IO_MODULE.test(specifier)) problems.push(`${name}: imports ${specifier} (src/${PURE_FOLDER} is pure domain: no I/O)`);
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(path), specifier);
      const rel = relative(srcDir, target);
      if (rel.startsWith('..')) continue;
      const to = nodeOf(srcDir, target);
      if (to === from) continue;
      graph.get(from).add(to);
      if (!witness.has(`${from}>${to}`)) witness.set(`${from}>${to}`, name);
    }
  }
  for (const component of cycles(graph)) {
    const edges = component.flatMap((a) => component.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} -> ${b} (${witness.get(`${a}>${b}`)})`));
    problems.push(`import cycle between ${component.join(', ')}: ${edges.join('; ')}`);
  }
  return { graph, problems };
}

/** One line per node: `node -> target, target`, sorted. */
export function formatGraph(graph) {
  return [...graph.keys()]
    .sort()
    .map((node) => `${node} -> ${[...graph.get(node)].sort().join(', ') || '(nothing)'}`)
    .join('\n');
}

/** README text with the graph block replaced; null when it has no such block. */
export function withReadmeGraph(readme, graphText) {
  return README_BLOCK.test(readme) ? readme.replace(README_BLOCK, (_, head, _old, tail) => `${head}${graphText}${tail}`) : null;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rewrite = args.includes('--readme');
  const srcDir = resolve(args.find((a) => a !== '--readme') ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const { graph, problems } = checkLayout(srcDir);
  const graphText = formatGraph(graph);
  console.log(`Import graph between the top-level folders of ${relative(process.cwd(), srcDir) || '.'}/:`);
  console.log(graphText);
  const readmePath = join(srcDir, '..', 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : null;
  const updated = readme === null ? null : withReadmeGraph(readme, graphText);
  if (rewrite && updated !== null && updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log(`check-layout: rewrote the import graph in ${relative(process.cwd(), readmePath)}`);
  } else if (updated !== null && updated !== readme) {
    problems.push('README.md: its import graph (Architecture) differs from the code: run node scripts/check-layout.mjs --readme');
  }
  if (problems.length > 0) {
    console.error(`\ncheck-layout: ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`check-layout: no import cycle between folders, no file over ${MAX_LINES} lines, src/${PURE_FOLDER} imports no I/O`);
}
