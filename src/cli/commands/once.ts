// `ollama-influx once`: ship everything up to the current end of the journal, then exit.

import type { Command } from 'commander';
import { logFailure } from '../../daemon/daemon.js';
import { createRuntime } from '../../daemon/runtime.js';
import { commandContext } from '../context.js';

export function registerOnceCommand(program: Command): void {
  program
    .command('once')
    .description('ship every new journal entry up to now, then exit')
    .option('--json', 'print {read, written, skipped, cursor} as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { config, logger } = commandContext(command, { logTo: 'stderr' });
      const controller = new AbortController();
      process.once('SIGTERM', () => controller.abort());
      process.once('SIGINT', () => controller.abort());
      const runtime = createRuntime(config, logger, controller.signal, 'one-shot');
      try {
        await runtime.inventory.refresh(runtime.sink, Date.now());
      } catch (err) {
        logFailure(logger, err, 'model inventory scan failed; events are written without model names');
      }
      const result = await runtime.ship();
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else logger.info(result, 'done');
    });
}
