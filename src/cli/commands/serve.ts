// `ollama-influx serve`: only the HTTP side (read API, /timeline, /health) over what InfluxDB holds,
// for any host of a fleet, or with --journal over this host's journal (no database, no config). It
// ships nothing and writes nothing.

import type { Command } from 'commander';
import { listenAddress } from '../../config/load.js';
import { InfluxReadSource } from '../../http/influx-source.js';
import { startServeHttp } from '../../http/start.js';
import { JournalReadSource } from '../../readback/journal-source.js';
import type { OpenRuntime } from '../../runtime.js';
import { type JournalOptions, addJournalOptions, journalSource, rejectJournalOnlyOptions } from '../journal-options.js';

const SERVE_DEFAULT_LISTEN = '127.0.0.1:9465';

export function registerServeCommand(program: Command, open: OpenRuntime): void {
  const serve = program
    .command('serve')
    .description('serve the read API (/api/*, /timeline, /health) over InfluxDB, or with --journal over this host\'s journal, without shipping')
    .option('--listen <host:port>', 'address to listen on (loopback unless you choose otherwise)', SERVE_DEFAULT_LISTEN);
  addJournalOptions(serve).action(async (options: { listen: string } & JournalOptions, command: Command) => {
    const journal = options.journal === true;
    if (!journal) rejectJournalOnlyOptions(command, options);
    const runtime = open({ logTo: 'stdout', config: journal ? 'none' : 'full' });
    const { config, logger } = runtime;
    const source = journal
      ? new JournalReadSource(journalSource(command, config, options), config, config.hostTag)
      : new InfluxReadSource(runtime.query, config.hostTag);
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
