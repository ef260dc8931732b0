// `ollama-influx serve`: only the HTTP side (read API, /timeline, /health) over what InfluxDB holds,
// for any host of a fleet. It ships nothing and writes nothing.

import type { Command } from 'commander';
import { listenAddress } from '../../config/load.js';
import { InfluxReadSource } from '../../http/influx-source.js';
import { startServeHttp } from '../../http/start.js';
import { commandContext } from '../context.js';

export const SERVE_DEFAULT_LISTEN = '127.0.0.1:9465';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the read API (/api/*, /timeline, /health) over InfluxDB without shipping')
    .option('--listen <host:port>', 'address to listen on (loopback unless you choose otherwise)', SERVE_DEFAULT_LISTEN)
    .action(async (options: { listen: string }, command: Command) => {
      const { config, logger } = commandContext(command, { logTo: 'stdout' });
      const address = listenAddress('--listen', options.listen);
      if (address === null) command.error('error: --listen off would serve nothing: give host:port');
      const server = await startServeHttp(new InfluxReadSource(config.influx, config.hostTag), address!, logger);
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
