// `ollama-influx serve`: only the HTTP side (read API, /timeline, /health) over what InfluxDB holds,
// for any host of a fleet, or with --journal over this host's journal (no database, no config). It
// ships nothing and writes nothing.

import type { Command } from 'commander';
import { listenAddress } from '../../config/load.js';
import { InfluxReadSource } from '../../http/influx-source.js';
import { startServeHttp } from '../../http/start.js';
import { createLogger } from '../../logger.js';
import { JournalReadSource } from '../../readback/journal-source.js';
import { commandContext } from '../context.js';
import { type JournalOptions, addJournalOptions, journalModeConfig, journalSource, rejectJournalOnlyOptions } from '../journal-options.js';

export const SERVE_DEFAULT_LISTEN = '127.0.0.1:9465';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('serve the read API (/api/*, /timeline, /health) over InfluxDB, or with --journal over this host\'s journal, without shipping')
    .option('--listen <host:port>', 'address to listen on (loopback unless you choose otherwise)', SERVE_DEFAULT_LISTEN);
  addJournalOptions(serve).action(async (options: { listen: string } & JournalOptions, command: Command) => {
    let source;
    let logger;
    if (options.journal === true) {
      const config = journalModeConfig(command);
      logger = createLogger(config.logLevel, 'stdout');
      source = new JournalReadSource(journalSource(command, config, options), config, config.hostTag);
    } else {
      rejectJournalOnlyOptions(command, options);
      const context = commandContext(command, { logTo: 'stdout' });
      logger = context.logger;
      source = new InfluxReadSource(context.config.influx, context.config.hostTag);
    }
    const address = listenAddress('--listen', options.listen);
    if (address === null) command.error('error: --listen off would serve nothing: give host:port');
    const server = await startServeHttp(source, address!, logger);
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals): void => {
        logger.info({ signal }, 'stopping');
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  });
}
