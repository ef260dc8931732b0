#!/usr/bin/env node
// Bundles the timeline page's script (src/render/client/, type-checked by its own tsconfig) into
// dist/render/timeline-page.js, one browser script that html.ts inlines into every page: the page
// stays one self-contained file. Run by `npm run build` after tsc.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'render', 'timeline-page.js');

const result = await build({
  entryPoints: [join(ROOT, 'src', 'render', 'client', 'main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  charset: 'utf8',
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const script = result.outputFiles[0].text;
// Inlined in <script>: these would end the element or start HTML comment parsing inside it.
if (/<\/script|<!--/i.test(script)) throw new Error('the page script contains </script or <!--: it cannot be inlined');
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, script);
