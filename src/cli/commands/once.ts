// `ollama-influx once`: ship everything up to the current end of the journal, then exit.

import type { Command } from 'commander';
import { createShipper } from '../../daemon/shipper.js';
import { logFailure } from '../../logger.js';
import type { OpenRuntime } from '../../runtime.js';

export function registerOnceCommand(program: Command, open: OpenRuntime): void {
  program
    .command('once')
    .description('ship every new journal entry up to now, then exit')
    .option('--json', 'print {read, written, skipped, cursor} as JSON')
    .action(async (options: { json?: boolean }) => {
      const runtime = open({ logTo: 'stderr' });
      process.once('SIGTERM', () => runtime.stop());
      process.once('SIGINT', () => runtime.stop());
      const shipper = createShipper(runtime);
      try {
        await shipper.inventory.refresh(runtime.sink, Date.now());
      } catch (err) {
        logFailure(runtime.logger, err, 'model inventory scan failed; events are written without model names');
      }
      const result = await shipper.ship();
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else runtime.logger.info(result, 'done');
    });
}
