// The node flags a build's bin script puts in its first line (`#!/usr/bin/env -S node FLAGS`): what
// the installed daemon runs with, so the benches run it the same way.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function shebangFlags(dir) {
  const first = readFileSync(join(dir, 'bin/ollama-influx'), 'utf8').split('\n')[0];
  return first.split(/\s+/).filter((word) => word.startsWith('--'));
}
