import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/ollama/parse/go-duration.js';
import { endOfQuoted, unquoteGo } from '../../src/ollama/parse/go-quote.js';
import { parseSize, parseSizeSum } from '../../src/ollama/parse/size.js';
import { BARE, findAttr, OPEN, QUOTED, tokenText, tokenizeAttrs, type TokenRange } from '../../src/ollama/parse/slog-attrs.js';
import { commandLine, listName, parseGoMap, sha256Of } from '../../src/ollama/parse/values.js';

describe('parseGoDuration (→ milliseconds)', () => {
  it.each([
    ['0s', 0],
    ['0', 0],
    ['512ns', 0.000512],
    ['36.1µs', 0.0361],
    ['36.1us', 0.0361],
    ['36.1\u03bcs', 0.0361],
    ['802.311µs', 0.802311],
    ['1.86ms', 1.86],
    ['16.6s', 16600],
    ['3.402116597s', 3402.116597],
    ['5m0s', 300000],
    ['5m1s', 301000],
    ['1h2m3s', 3723000],
    ['1h2m3.5s', 3723500],
    ['-1.5h', -5400000],
    ['+2m', 120000],
    ['.5s', 500],
    ['1.s', 1000],
    ['  41.07µs  ', 0.04107],
    ['2h45m', 9900000],
    ['1m30s500ms', 90500],
  ])('%s → %s ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', ' ', 's', '5', '1.5', '5x', '5 s', '-', '.s', '1h-2m', '5mss', 'abc', '1e3s', '3 seconds'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });
});

describe('parseSize (→ bytes)', () => {
  it.each([
    ['792 B', 792],
    ['0 B', 0],
    ['465.5 MiB', 488112128],
    ['12.5 GiB', 13421772800],
    ['11.1 GiB', 11918534246],
    ['1.0 KiB', 1024],
    ['2 TiB', 2199023255552],
    ['4.7 GB', 4700000000],
    ['350 MB', 350000000],
    ['1.5 KB', 1500],
    ['12.5GiB', 13421772800],
    ['3377552306', 3377552306],
  ])('%s → %s', (text, value) => {
    expect(parseSize(text)).toBe(value);
  });

  it.each(['', 'GiB', '12.5 GiBs', '12.5 XB', '-1 GiB', '[1 GiB]', 'twelve GiB'])('rejects %j', (text) => {
    expect(parseSize(text)).toBeNull();
  });

  it('sums a Go list of sizes, one per GPU', () => {
    expect(parseSizeSum('[11.1 GiB]')).toBe(11918534246);
    expect(parseSizeSum('[1.0 GiB 512.0 MiB]')).toBe(1610612736);
    expect(parseSizeSum('639.8 MiB')).toBe(670878925);
    expect(parseSizeSum('[]')).toBeNull();
    expect(parseSizeSum('[1 GiB oops]')).toBeNull();
  });
});

describe('Go string literals', () => {
  it('unquotes the escapes strconv.Quote writes', () => {
    expect(unquoteGo('"plain"')).toBe('plain');
    expect(unquoteGo('"say \\"hi\\""')).toBe('say "hi"');
    expect(unquoteGo('"a\\\\b"')).toBe('a\\b');
    expect(unquoteGo('"tab\\tnl\\n"')).toBe('tab\tnl\n');
    expect(unquoteGo('"\\u00e9\\U0001F600"')).toBe('é😀');
    expect(unquoteGo('"\\xc3\\xa9"')).toBe('é');
    expect(unquoteGo('"\\303\\251"')).toBe('é');
    expect(unquoteGo('"bad \\xZZ \\q"')).toBe('bad \\xZZ \\q');
    expect(unquoteGo('not quoted')).toBe('not quoted');
  });

  it('finds the closing quote past escaped ones', () => {
    expect(endOfQuoted('"a\\"b" rest', 0)).toBe(6);
    expect(endOfQuoted('"a\\\\" rest', 0)).toBe(5);
    expect(endOfQuoted('"open', 0)).toBe(-1);
  });
});

describe('slog attribute tokenizer', () => {
  it('reads bare, quoted, escaped and dotted attributes', () => {
    const attrs = tokenizeAttrs(
      'time=2025-03-02T09:14:09.118+03:00 level=INFO source=server.go:410 msg="a = b" "model layers"=49 ' +
        'memory.available="[11.1 GiB]" error="exit \\"2\\" a\\\\b" empty= quoted="" seconds=5.04',
    );
    expect(Object.fromEntries(attrs)).toEqual({
      time: '2025-03-02T09:14:09.118+03:00',
      level: 'INFO',
      source: 'server.go:410',
      msg: 'a = b',
      'model layers': '49',
      'memory.available': '[11.1 GiB]',
      error: 'exit "2" a\\b',
      empty: '',
      quoted: '',
      seconds: '5.04',
    });
  });

  it('skips words without = and starts where asked', () => {
    const line = 'server config env="map[A:1 B:two words]" tail';
    expect(Object.fromEntries(tokenizeAttrs(line))).toEqual({ env: 'map[A:1 B:two words]' });
    expect(Object.fromEntries(tokenizeAttrs('msg=x a=1 b=2', 6))).toEqual({ a: '1', b: '2' });
  });

  it('keeps an unterminated quoted value (a line cut short) and the later duplicate', () => {
    expect(Object.fromEntries(tokenizeAttrs('a=1 a=2 cut="half a val'))).toEqual({ a: '2', cut: 'half a val' });
  });

  it('gets through hostile attribute text, moving on at every character', () => {
    // Worked out by hand from the rules: a key ends at a space or `=`, a value at a space or its closing quote.
    expect(Object.fromEntries(tokenizeAttrs('a="x"b="y"'))).toEqual({ a: 'x', b: 'y' });
    expect(Object.fromEntries(tokenizeAttrs('= ='))).toEqual({ '': '' });
    expect(Object.fromEntries(tokenizeAttrs('"k \\"q\\""=1 "open=2'))).toEqual({ 'k "q"': '1' });
    expect(Object.fromEntries(tokenizeAttrs('x==y a=b=c'))).toEqual({ x: '=y', a: 'b=c' });
    expect(Object.fromEntries(tokenizeAttrs('a="x"'.repeat(20_000)))).toEqual({ a: 'x' });
    expect(Object.fromEntries(tokenizeAttrs(`${'w '.repeat(20_000)}k=v`))).toEqual({ k: 'v' });
    expect(tokenizeAttrs('"'.repeat(10_001)).size).toBe(0);
  });

  it('finds level and msg without tokenising the line', () => {
    const token: TokenRange = { start: 0, end: 0, shape: BARE };
    const read = (line: string, key: string): string | null =>
      findAttr(line, `${key}=`, ` ${key}=`, token) ? tokenText(line, token.start, token.end, token.shape) : null;
    const line = 'time=t level=DEBUG-8 source=s.go:1 msg="got lock to unload" runner.name=x';
    expect(read(line, 'level')).toBe('DEBUG-8');
    expect(read(line, 'msg')).toBe('got lock to unload');
    expect(token.shape).toBe(QUOTED);
    expect(line.slice(token.end)).toBe(' runner.name=x');
    expect(read('level=WARN msg=offload library=cuda', 'msg')).toBe('offload');
    expect(read('time=t level=INFO', 'msg')).toBeNull();
    expect(read('time=t msg= level=INFO', 'msg')).toBe('');
    expect(read('time=t msg="cut sh', 'msg')).toBe('cut sh');
    expect(token.shape).toBe(OPEN);
    expect(read('time=t msg="a \\"b\\"" x=1', 'msg')).toBe('a "b"');
  });
});

describe('values', () => {
  const hex = 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';

  it('finds the 64-hex digest of a blob path', () => {
    expect(sha256Of(`/root/.ollama/models/blobs/sha256-${hex}`)).toBe(hex);
    expect(sha256Of(`/old/blobs/sha256:${hex.toUpperCase()}`)).toBe(hex);
    expect(sha256Of(`sha256-${hex}0`)).toBeNull();
    expect(sha256Of('sha256-abc')).toBeNull();
    expect(sha256Of('/models/blobs/sha256-zz sha256-' + hex)).toBe(hex);
    expect(sha256Of(undefined)).toBeNull();
  });

  it('names models the way ollama list does', () => {
    expect(listName('registry.ollama.ai/library/qwen3:8b')).toBe('qwen3:8b');
    expect(listName('registry.ollama.ai/jmorgan/mymodel:latest')).toBe('jmorgan/mymodel:latest');
    expect(listName('hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M')).toBe('hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M');
    expect(listName('')).toBeNull();
  });

  it('parses Go maps with spaces, colons and lists in values', () => {
    expect(parseGoMap('map[A: B:http://h:1 C:[x y:z] D:two words E:]')).toEqual({
      A: '',
      B: 'http://h:1',
      C: '[x y:z]',
      D: 'two words',
      E: '',
    });
    expect(parseGoMap('map[]')).toEqual({});
    expect(parseGoMap('not a map')).toBeNull();
  });

  it('reads flags from a command line, long and short forms', () => {
    const cmd = commandLine('/bin/llama-server --model /m/a b/sha256-x -c 8192 -np 2 --n-gpu-layers=7 --port 1');
    expect(cmd.modelPath).toBe('/m/a b/sha256-x');
    expect(cmd.flag('--ctx-size', '-c')).toBe('8192');
    expect(cmd.flag('--parallel', '-np')).toBe('2');
    expect(cmd.flag('--n-gpu-layers', '-ngl')).toBe('7');
    expect(cmd.flag('--threads')).toBeUndefined();
    expect(commandLine('/bin/ollama runner --port 1').modelPath).toBeNull();
  });
});
