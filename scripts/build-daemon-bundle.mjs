#!/usr/bin/env node
// Bundles the daemon (tsc's dist/cli/main.js and the packages it imports) into one file,
// dist/bundle/ollama-influx.mjs, which bin/ollama-influx runs. Every start of the process (a `once`
// from a timer, a restart of the service) paid ~150 ms of CPU and ~12 MB of memory to resolve, read
// and compile some 150 modules one by one; one file costs a fraction of that. Run by `npm run build`
// after tsc, so the bundle holds exactly the type-checked output.
//
// The bundle sits two folders below the root like every dist/<folder>/ module, so paths made from
// import.meta.url (render/html.ts's page script) resolve the same in it.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(ROOT, 'dist', 'cli', 'main.js')],
  outfile: join(ROOT, 'dist', 'bundle', 'ollama-influx.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The CommonJS packages (pino, prom-client, commander) call require() for Node's modules.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
