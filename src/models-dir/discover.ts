// Where Ollama keeps its models, first answer wins: the OLLAMA_MODELS_DIR config key, the unit's
// OLLAMA_MODELS, the last `server config` log line's OLLAMA_MODELS, the ollama user's
// ~/.ollama/models, the official installer's /usr/share/ollama/.ollama/models.
// The host lookups are injectable so tests do not depend on the machine they run on.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const OLLAMA_USER = 'ollama';
export const DEFAULT_MODELS_DIR = '/usr/share/ollama/.ollama/models';

type ModelsDirSource = 'config' | 'unit-environment' | 'server-config-log' | 'ollama-user-home' | 'default';

export interface DiscoverOptions {
  /** The OLLAMA_MODELS_DIR config key, or null when it is not set. */
  readonly configured: string | null;
  /** The Ollama systemd unit (OLLAMA_UNIT). */
  readonly unit: string;
  /** OLLAMA_MODELS of the last `server config` journal line, or null; wired by the caller. */
  readonly lastServerConfigModelsDir?: () => Promise<string | null>;
  /** The unit's `Environment` property as `systemctl show -p Environment --value` prints it, or null. */
  readonly unitEnvironment?: (unit: string) => Promise<string | null>;
  /** A user's home directory, or null when there is no such user. */
  readonly userHome?: (user: string) => Promise<string | null>;
}

interface ModelsDir {
  readonly dir: string;
  readonly source: ModelsDirSource;
}

export async function discoverModelsDir(options: DiscoverOptions): Promise<ModelsDir> {
  const configured = options.configured?.trim();
  if (configured) return { dir: configured, source: 'config' };

  const environment = await (options.unitEnvironment ?? systemctlEnvironment)(options.unit).catch(() => null);
  const fromUnit = environment === null ? null : parseUnitEnvironment(environment).get('OLLAMA_MODELS')?.trim();
  if (fromUnit) return { dir: fromUnit, source: 'unit-environment' };

  const fromLog = (await options.lastServerConfigModelsDir?.().catch(() => null))?.trim();
  if (fromLog) return { dir: fromLog, source: 'server-config-log' };

  const home = (await (options.userHome ?? passwdHome)(OLLAMA_USER).catch(() => null))?.trim();
  if (home) return { dir: join(home, '.ollama', 'models'), source: 'ollama-user-home' };

  return { dir: DEFAULT_MODELS_DIR, source: 'default' };
}

/**
 * Splits systemd's Environment property into variables. systemctl prints the assignments
 * separated by spaces and shell-quotes those that need it ("A=b c", with \" \\ \$ \` escapes);
 * a later assignment of a variable wins, as in systemd.
 */
export function parseUnitEnvironment(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const word of shellWords(text)) {
    const eq = word.indexOf('=');
    if (eq > 0) variables.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return variables;
}

/**
 * OLLAMA_MODELS from a `server config` message (`env="map[... OLLAMA_MODELS:/data/models ...]"`,
 * or the pre-0.7 `server config env="map[...]"` form), or null when it is absent or empty.
 * Go prints the map unquoted, so the value runs to the next ` KEY:` or the map's closing `]`.
 */
export function modelsDirFromServerConfig(message: string): string | null {
  const match = /(?:^|[\s[])OLLAMA_MODELS:(.*?)(?= [A-Za-z_][A-Za-z0-9_]*:|\]|$)/.exec(message);
  const dir = match?.[1]?.trim();
  return dir ? dir : null;
}

function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (c === '\\' && i + 1 < text.length && (quote === null || '"\\$`'.includes(text[i + 1]!))) {
      word += text[++i];
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** systemctl and id answer at once; a hung one must not hold up the inventory. */
const LOOKUP_TIMEOUT_MS = 5_000;

function run(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: LOOKUP_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/** Null when systemctl is missing, there is no systemd, or the unit is unknown. */
async function systemctlEnvironment(unit: string): Promise<string | null> {
  return run('systemctl', ['show', unit, '-p', 'Environment', '--value']);
}

/** `getent passwd` (NSS: LDAP, sssd...), else /etc/passwd. */
async function passwdHome(user: string): Promise<string | null> {
  const entry = (await run('getent', ['passwd', user])) ?? (await readFile('/etc/passwd', 'utf8').catch(() => ''));
  for (const line of entry.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === user && fields.length >= 7) return fields[5] || null;
  }
  return null;
}
