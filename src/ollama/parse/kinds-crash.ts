// A runner (the process that holds a model) died: Ollama's note that it exited with an error, and
// the crash output the runner itself leaves on stderr (CUDA errors, ggml assertions, Go's fatal
// signal banner). The model it held is gone from that moment, loaded or not.

import { defineKind, type LineContext } from './types.js';
import { exitStatusOf, signalOf, text } from './values.js';

interface Crash {
  readonly cause: string;
  readonly error: string | null;
  readonly exit_status?: number | null;
  readonly signal?: string | null;
}

function crash(cause: string, error: string | null, exitAttr?: string): Crash {
  const exit = exitAttr !== undefined && /^-?\d+$/.test(exitAttr) && exitAttr !== '-1' ? Number(exitAttr) : null;
  return { cause, error, exit_status: exitStatusOf(error) ?? exit, signal: signalOf(error) };
}

const GGML_ASSERT = /GGML_ASSERT(?:\((.*)\) failed|: (.*))$/;
const GO_SIGNAL = /^(SIG[A-Z]+): /;

function rawCrash(line: LineContext): Crash | null {
  const raw = line.text;
  if (raw.startsWith('CUDA error') || raw.startsWith('ROCm error')) {
    return { cause: raw.startsWith('CUDA') ? 'cuda_error' : 'rocm_error', error: text(raw.replace(/^\w+ error:? ?/, '')) };
  }
  const signal = GO_SIGNAL.exec(raw);
  if (signal !== null) return { cause: 'fatal_signal', error: raw, signal: signal[1] };
  const assert = GGML_ASSERT.exec(raw);
  if (assert !== null) return { cause: 'assert', error: assert[0] };
  return null;
}

/** The `log`-package era (before 0.1.21): the runner's last stderr line when it stopped. */
const STOPPED_WITH_ERROR = 'llama runner stopped with error: ';

const runnerCrash = defineKind({
  kind: 'runner_crash',
  fields: ['cause', 'error', 'exit_status', 'signal'],
  messages: [
    'llama runner terminated',
    'llama-server terminated',
    'llama runner process no longer running',
    'llama-server process no longer running',
  ],
  prefixes: [STOPPED_WITH_ERROR],
  plainPrefixes: ['CUDA error', 'ROCm error', 'SIGSEGV: ', 'SIGABRT: ', 'SIGILL: ', 'SIGBUS: ', 'SIGFPE: ', 'GGML_ASSERT'],
  // llama.cpp since mid-2024 prints `<file>:<line>: GGML_ASSERT(<cond>) failed`.
  plainContains: ['GGML_ASSERT('],
  extract(line) {
    const { msg } = line;
    if (msg.startsWith(STOPPED_WITH_ERROR)) return crash('stopped_with_error', text(msg.slice(STOPPED_WITH_ERROR.length)));
    if (msg.endsWith(' terminated')) return crash('terminated', text(line.attr('error')), line.attr('exit'));
    if (msg.endsWith(' no longer running')) return crash('no_longer_running', text(line.attr('string')));
    return rawCrash(line);
  },
  samples: [
    {
      era: '0.6 – 0.20 (ERROR; DEBUG in 0.3 – 0.5)',
      source: 'ollama/ollama#10265 (0.6.5)',
      line: 'time=2025-04-14T20:20:48.993+08:00 level=ERROR source=server.go:449 msg="llama runner terminated" error="exit status 0xc0000409"',
      expected: { level: 'ERROR', cause: 'terminated', error: 'exit status 0xc0000409', exit_status: 3221226505, signal: null },
    },
    {
      era: 'runner stderr (all versions)',
      source: 'ollama/ollama#10265 (0.6.5)',
      line: 'CUDA error: an illegal memory access was encountered',
      expected: { cause: 'cuda_error', error: 'an illegal memory access was encountered', exit_status: null, signal: null },
    },
    {
      era: 'runner stderr, llama.cpp before 2024-06',
      source: 'ggml-org/llama.cpp#5991 (ollama 0.1.26)',
      line: 'GGML_ASSERT: C:\\Users\\jeff\\git\\ollama\\llm\\llama.cpp\\ggml-cuda.cu:244: !"CUDA error"',
      expected: { cause: 'assert', error: 'GGML_ASSERT: C:\\Users\\jeff\\git\\ollama\\llm\\llama.cpp\\ggml-cuda.cu:244: !"CUDA error"' },
    },
    {
      era: 'Go runtime fatal signal (runner, cgo)',
      source: 'ollama/ollama#9509',
      line: 'SIGABRT: abort',
      expected: { cause: 'fatal_signal', error: 'SIGABRT: abort', signal: 'SIGABRT' },
    },
  ],
});

export const CRASH_KINDS = [runnerCrash] as const;
