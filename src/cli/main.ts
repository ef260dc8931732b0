// The composition root: parses argv with commander and hands every command the one runtime
// factory (config, logger, InfluxDB clients, sink) it opens once its options are parsed.

import { Command, CommanderError } from 'commander';
import { EXIT_FAILURE, OllamaInfluxError } from '../errors.js';
import { runtimeFactory } from '../runtime.js';
import { registerCheckCommand } from './commands/check.js';
import { registerInventoryCommand } from './commands/inventory.js';
import { registerOnceCommand } from './commands/once.js';
import { registerParseCommand } from './commands/parse.js';
import { registerQueryCommand } from './commands/query.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTimelineCommand } from './commands/timeline.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('ollama-influx')
    .description('Ships the Ollama service journal into InfluxDB 2, exactly once.')
    .option('-c, --config <file>', 'config file (default /etc/ollama-influx/config.env, else ./config.env if only you can write it)')
    .exitOverride()
    .showHelpAfterError();

  const open = runtimeFactory(() => program.opts<{ config?: string }>().config);
  registerRunCommand(program, open);
  registerOnceCommand(program, open);
  registerCheckCommand(program, open);
  registerInventoryCommand(program, open);
  registerParseCommand(program, open);
  registerTimelineCommand(program, open);
  registerQueryCommand(program, open);
  registerServeCommand(program, open);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/** One line on stderr and the registry's exit code; never a stack trace for expected errors. */
function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof OllamaInfluxError) {
    process.stderr.write(`ollama-influx: ${err.message} [${err.code}]\n`);
    return err.exitCode;
  }
  process.stderr.write(`ollama-influx: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT_FAILURE;
}
