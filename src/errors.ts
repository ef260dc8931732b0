// Coded errors: one registry so log lines, exit codes and the README's troubleshooting table agree.
// A test keeps this registry and README.md aligned.

export const EXIT_FAILURE = 1;
/** sysexits EX_CONFIG: the unit's RestartPreventExitStatus=78 stops restart loops on bad config. */
export const EXIT_CONFIG = 78;

interface ErrorDefinition {
  readonly code: string;
  readonly exitCode: number;
  /** What the operator should do; shown by `check` and in the README. */
  readonly fix: string;
}

export const ERRORS = {
  OI_ERR_CONFIG_INVALID: {
    code: 'OI_ERR_CONFIG_INVALID',
    exitCode: EXIT_CONFIG,
    fix: 'Correct the named key in config.env (or the environment) and restart.',
  },
  OI_ERR_CONFIG_FILE: {
    code: 'OI_ERR_CONFIG_FILE',
    exitCode: EXIT_CONFIG,
    fix: 'Check the --config path exists and is readable by the service user.',
  },
  OI_ERR_JOURNALCTL_MISSING: {
    code: 'OI_ERR_JOURNALCTL_MISSING',
    exitCode: EXIT_CONFIG,
    fix: 'Install systemd (journalctl must be on PATH).',
  },
  OI_ERR_JOURNAL_PERMISSION: {
    code: 'OI_ERR_JOURNAL_PERMISSION',
    exitCode: EXIT_FAILURE,
    fix: 'Add the service user to the systemd-journal group (install.sh --journal-access group) or use sudo mode.',
  },
  OI_ERR_JOURNAL_READ: {
    code: 'OI_ERR_JOURNAL_READ',
    exitCode: EXIT_FAILURE,
    fix: 'Run the journalctl command from the log line by hand to see why it fails.',
  },
  OI_ERR_INFLUX_UNREACHABLE: {
    code: 'OI_ERR_INFLUX_UNREACHABLE',
    exitCode: EXIT_FAILURE,
    fix: 'Check INFLUXDB_URL, that InfluxDB is running, and that this host can reach it.',
  },
  OI_ERR_INFLUX_AUTH: {
    code: 'OI_ERR_INFLUX_AUTH',
    exitCode: EXIT_CONFIG,
    fix: 'INFLUXDB_TOKEN is rejected or lacks write permission on the bucket: create a token with write access to INFLUXDB_BUCKET.',
  },
  OI_ERR_INFLUX_BUCKET: {
    code: 'OI_ERR_INFLUX_BUCKET',
    exitCode: EXIT_CONFIG,
    fix: 'INFLUXDB_ORG or INFLUXDB_BUCKET does not exist: create the bucket or correct the names.',
  },
  OI_ERR_CHECKPOINT: {
    code: 'OI_ERR_CHECKPOINT',
    exitCode: EXIT_FAILURE,
    fix: 'STATE_DIR must be writable by the service user (systemd StateDirectory= creates it).',
  },
  OI_ERR_MODELS_DIR: {
    code: 'OI_ERR_MODELS_DIR',
    exitCode: EXIT_FAILURE,
    fix: 'Set OLLAMA_MODELS_DIR to the Ollama models directory and make it readable by the service user.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export class OllamaInfluxError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OllamaInfluxError';
    this.code = code;
    this.exitCode = ERRORS[code].exitCode;
  }

  get fix(): string {
    return ERRORS[this.code].fix;
  }
}

export function configError(message: string): OllamaInfluxError {
  return new OllamaInfluxError('OI_ERR_CONFIG_INVALID', message);
}
