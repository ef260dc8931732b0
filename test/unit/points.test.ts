import { describe, expect, it } from 'vitest';
import { createEntryEncoder, type EncoderSettings } from '../../src/pipeline/encode.js';
import { escapeMeasurement, escapeTag, quoteField } from '../../src/influx/points/escape.js';
import { journalPlace, msgHash, pointTimeNs } from '../../src/pipeline/point-key.js';
import { EVENTS_MEASUREMENT, LOGS_MEASUREMENT, REQUESTS_MEASUREMENT } from '../../src/influx/measurements.js';
import { hostTagValue, logLine } from '../../src/pipeline/logs.js';
import { eventLine, requestLine } from '../../src/pipeline/structured.js';
import type { JournalEntry } from '../../src/journal/entry.js';
import { parseMessage, type ParsedLine } from '../../src/ollama/parse/index.js';

const SHA = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const BLOB = `/usr/share/ollama/.ollama/models/blobs/sha256-${SHA}`;
// Sample lines in the formats of /work/shared/ollama-log-formats.md.
const GIN_CHAT = '[GIN] 2025/03/02 - 09:14:09 | 200 |  3.402116597s |       10.0.0.23 | POST     "/api/chat"';
const GIN_SHOW = '[GIN] 2025/03/02 - 09:21:00 | 404 |     802.311µs |  2001:db8::1:42 | GET      "/api/show?x=1"';
const GIN_GENERATE = '[GIN] 2025/03/02 - 09:20:11 | 500 |          5m0s |             ::1 | POST     "/api/generate"';
const STARTING_LLAMA_SERVER =
  'time=2025-03-02T09:14:05.118+03:00 level=INFO source=server.go:376 msg="starting llama server" ' +
  `cmd="/tmp/ollama2718281828/runners/cuda_v12/ollama_llama_server --model ${BLOB} --ctx-size 8192 --batch-size 512 --n-gpu-layers 41 --threads 6 --parallel 4 --port 40797"`;
const RUNNER_STARTED = 'time=2025-03-02T09:14:09.378+03:00 level=INFO source=server.go:600 msg="llama runner started in 4.26 seconds"';
const TRUNCATING =
  'time=2025-03-02T09:15:10.001+03:00 level=WARN source=runner.go:130 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048';
const UNKNOWN = [
  'llama_model_loader: - type  f32:   65 tensors',
  'time=2025-03-02T09:14:06.000+03:00 level=INFO source=server.go:999 msg="a message no Ollama version wrote"',
  '',
  'goroutine 1 [running]:',
];

function entry(message: string, realtimeUs = '1740906849118123', pid = '1187'): JournalEntry {
  return { cursor: `s=abc;i=${realtimeUs}`, realtimeUs, message, pid };
}

function parsed(message: string): ParsedLine {
  const result = parseMessage(message);
  expect(result.kind).not.toBe('unknown');
  return result;
}


/** A parse result outside ParsedLine's types, to check what the encoders do with one. */
function outsideTypes(value: Record<string, unknown>): ParsedLine {
  return value as unknown as ParsedLine;
}

describe('escaping', () => {
  it('escapes comma, equals and space in tags; newlines, CR and tabs become escaped spaces', () => {
    expect(escapeTag('plain-value_1.2:3/4')).toBe('plain-value_1.2:3/4');
    expect(escapeTag('a,b')).toBe('a\\,b');
    expect(escapeTag('a=b')).toBe('a\\=b');
    expect(escapeTag('a b')).toBe('a\\ b');
    // InfluxDB 2 does not unescape `\\` in tags: a doubled backslash would be stored doubled.
    // A backslash before a separator becomes %5C (InfluxDB's line splitter and tag parser disagree on `\\ `).
    expect(escapeTag('C:\\models\\x')).toBe('C:\\models\\x');
    expect(escapeTag('a\\ b\\,c')).toBe('a%5C\\ b%5C\\,c');
    expect(escapeTag('line1\nline2\r\tend')).toBe('line1\\ line2\\ \\ end');
    expect(escapeTag('say "hi"')).toBe('say\\ "hi"');
  });

  it('encodes a trailing backslash as %5C, control characters as spaces, long values cut with …', () => {
    // gin logs `curl http://h:11434/api/chat%5C` as "/api/chat\\": a bare trailing backslash would escape the next comma.
    expect(escapeTag('/api/chat\\')).toBe('/api/chat%5C');
    expect(escapeTag('a\\\\')).toBe('a\\%5C');
    expect(escapeTag('\\')).toBe('%5C');
    expect(escapeTag('x\u0000y\u001bz\u007f')).toBe('x\\ y\\ z\\ ');
    const long = 'é'.repeat(200); // 400 bytes
    const cut = escapeTag(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(256);
    expect(cut).toBe('é'.repeat(126) + '…'); // 252 + 3 bytes
    // A surrogate pair is never split.
    expect(escapeTag('a' + '😀'.repeat(100))).toBe('a' + '😀'.repeat(63) + '…');
  });

  it('escapes comma and space in measurements, but not equals or backslash', () => {
    expect(escapeMeasurement('ollama_logs')).toBe('ollama_logs');
    expect(escapeMeasurement('a,b c=d\\e')).toBe('a\\,b\\ c=d\\e');
  });

  it('quotes string fields, escaping only double quotes and backslashes; newlines stay', () => {
    expect(quoteField('plain, with = spaces')).toBe('"plain, with = spaces"');
    expect(quoteField('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteField('C:\\models\\')).toBe('"C:\\\\models\\\\"');
    expect(quoteField('panic: boom\n\tgoroutine 1\r\n')).toBe('"panic: boom\n\tgoroutine 1\r\n"');
    expect(quoteField('')).toBe('""');
  });

  it('escapes the host tag once', () => {
    expect(hostTagValue('gpu box,1')).toBe('gpu\\ box\\,1');
  });
});

describe('point key', () => {
  // A real journald cursor (systemd 252): seqnum ID, seqnum 0x1a2b = 6699, boot ID, monotonic, realtime, xor hash.
  const CURSOR =
    's=0b4fa7b2c6a845b1a1a1b9d6f5d1d2e3;i=1a2b;b=6c0ef7a7d5b34c8c9b2b1c8e3f4a5b6c;m=3e8a1b;t=62b1f0c2d3e4f;x=9f8e7d6c5b4a3921';
  const at = (cursor: string, message = GIN_CHAT, realtimeUs = '1740906849118123'): JournalEntry => ({ cursor, realtimeUs, message, pid: '1' });

  it('reads the seqnum ID and seqnum from the cursor', () => {
    expect(journalPlace(CURSOR)).toEqual({ seqnumId: '0b4fa7b2c6a845b1a1a1b9d6f5d1d2e3', seqnumHex: '1a2b' });
    // No seqnum: the whole cursor names the entry.
    expect(journalPlace('odd-cursor')).toEqual({ seqnumId: 'odd-cursor', seqnumHex: '' });
  });

  it('msg_hash: 16 hex digits over seqnum ID, seqnum, timestamp and message; stable on replay, not on pid', () => {
    const e = at(CURSOR);
    expect(msgHash(e)).toMatch(/^[0-9a-f]{16}$/);
    expect(msgHash({ ...e, pid: '2' })).toBe(msgHash(e));
    expect(msgHash({ ...e })).toBe(msgHash(e));
    // Each part of the input counts, and the separators keep them apart.
    expect(msgHash({ ...e, message: `${GIN_CHAT} ` })).not.toBe(msgHash(e));
    expect(msgHash({ ...e, realtimeUs: '1740906849118124' })).not.toBe(msgHash(e));
    expect(msgHash(at(CURSOR.replace('s=0b4f', 's=0b4e')))).not.toBe(msgHash(e));
    expect(msgHash(at(CURSOR, '1x', '17'))).not.toBe(msgHash(at(CURSOR, 'x', '171')));
  });

  it('msg_hash spreads: 100,000 burst entries give 100,000 distinct hashes, each hex digit near 1/16', () => {
    const seen = new Set<string>();
    const digits = new Array<number>(16).fill(0);
    for (let seq = 0; seq < 100_000; seq++) {
      const h = msgHash(at(CURSOR.replace('i=1a2b', `i=${seq.toString(16)}`), 'llama_model_loader: - type  f32:   65 tensors'));
      seen.add(h);
      digits[parseInt(h[0]!, 16)]!++;
    }
    expect(seen.size).toBe(100_000);
    for (const count of digits) expect(Math.abs(count - 6250)).toBeLessThan(400);
  });

  it('identical lines in one microsecond (one journald burst) get distinct hashes and times', () => {
    const a = at(CURSOR.replace('i=1a2b', 'i=1a2b'));
    const b = at(CURSOR.replace('i=1a2b', 'i=1a2c'));
    expect(msgHash(a)).not.toBe(msgHash(b));
    // 0x1a2b = 6699 → slot 699; 0x1a2c = 6700 → slot 700.
    expect(pointTimeNs(a)).toBe('1740906849118123699');
    expect(pointTimeNs(b)).toBe('1740906849118123700');
  });

  it('the nanoseconds are seqnum mod 1000, zero-padded, also for 64-bit seqnums', () => {
    expect(pointTimeNs(at(CURSOR.replace('i=1a2b', 'i=3e8')))).toBe('1740906849118123000'); // 1000
    expect(pointTimeNs(at(CURSOR.replace('i=1a2b', 'i=7')))).toBe('1740906849118123007');
    // 0xffffffffffffffff = 18446744073709551615 → 615 (a double would round this number)
    expect(pointTimeNs(at(CURSOR.replace('i=1a2b', 'i=ffffffffffffffff')))).toBe('1740906849118123615');
  });

  it('a burst of 1000 consecutive seqnums in one microsecond never shares a time', () => {
    const times = new Set<string>();
    for (let seq = 0x5f5e0ff; seq < 0x5f5e0ff + 1000; seq++) times.add(pointTimeNs(at(CURSOR.replace('i=1a2b', `i=${seq.toString(16)}`), 'same')));
    expect(times.size).toBe(1000);
  });
});

describe('logLine (ollama_logs)', () => {
  const e = entry('level=INFO msg="say \\"hi\\"" path=C:\\x', '1740906849118123', '1187');
  const hash = msgHash(e);
  const ns = pointTimeNs(e);

  it('tag mode: tags host, msg_hash, source=systemd; fields message and pid as strings', () => {
    expect(logLine(e, 'gpu\\ box', hash, 'tag', ns)).toBe(
      `ollama_logs,host=gpu\\ box,msg_hash=${hash},source=systemd message="level=INFO msg=\\"say \\\\\\"hi\\\\\\"\\" path=C:\\\\x",pid="1187" ${ns}`,
    );
    expect(LOGS_MEASUREMENT).toBe('ollama_logs');
  });

  it('field mode: msg_hash is a string field, not a tag', () => {
    expect(logLine(e, 'gpu-box', hash, 'field', ns)).toBe(
      `ollama_logs,host=gpu-box,source=systemd message="level=INFO msg=\\"say \\\\\\"hi\\\\\\"\\" path=C:\\\\x",pid="1187",msg_hash="${hash}" ${ns}`,
    );
  });

  it('keeps an empty pid as an empty string field', () => {
    const noPid = entry('x', '1', '');
    expect(logLine(noPid, 'h', 'abcd', 'tag', '1000')).toBe('ollama_logs,host=h,msg_hash=abcd,source=systemd message="x",pid="" 1000');
  });
});

describe('requestLine (ollama_requests)', () => {
  it('tags method, path (without query) and status; fields client, latency_ms (float), url (with query)', () => {
    expect(requestLine(parsed(GIN_SHOW), 'h', '1740906849118123042')).toBe(
      'ollama_requests,host=h,method=GET,path=/api/show,status=404 client="2001:db8::1:42",latency_ms=0.802311,url="/api/show?x=1" 1740906849118123042',
    );
    expect(REQUESTS_MEASUREMENT).toBe('ollama_requests');
  });

  it('writes a whole-number latency without the integer suffix', () => {
    const line = requestLine(parsed(GIN_GENERATE), 'h', '1');
    expect(line).toBe('ollama_requests,host=h,method=POST,path=/api/generate,status=500 client="::1",latency_ms=300000,url="/api/generate" 1');
    expect(line).not.toMatch(/latency_ms=\d+i/);
  });

  it('escapes the path tag and quotes the url field', () => {
    const line = requestLine({ kind: 'request', status: 200, latency_ms: 1.5, client: '', method: 'GET', path: '/a b,c=d?q="x"' }, 'h', '1');
    expect(line).toBe('ollama_requests,host=h,method=GET,path=/a\\ b\\,c\\=d,status=200 client="",latency_ms=1.5,url="/a b,c=d?q=\\"x\\"" 1');
  });

  it('gives empty method and path readable tag values', () => {
    expect(requestLine({ kind: 'request', status: 200, latency_ms: 1, client: null, method: '', path: '?x' }, 'h', '1')).toBe(
      'ollama_requests,host=h,method=unknown,path=/,status=200 client="",latency_ms=1,url="?x" 1',
    );
  });

  it('is null when the parse lacks a required field', () => {
    // Outside ParsedLine's types on purpose: a parse that lost a field must give no line, not a broken one.
    expect(requestLine(outsideTypes({ kind: 'request', status: null, latency_ms: 1, method: 'GET', path: '/' }), 'h', '1')).toBeNull();
    expect(requestLine(outsideTypes({ kind: 'request', status: 200, latency_ms: '1ms', method: 'GET', path: '/' }), 'h', '1')).toBeNull();
  });
});

describe('eventLine (ollama_events)', () => {
  it('tags event and level, adds a model tag when known; the parsed fields follow the message', () => {
    const p = parsed(STARTING_LLAMA_SERVER);
    const withModel = eventLine(p, 'h', STARTING_LLAMA_SERVER, 'gemma3:12b', '7');
    expect(withModel).toBe(
      `ollama_events,host=h,event=model_load_start,level=INFO,model=gemma3:12b message=${quoteField(STARTING_LLAMA_SERVER)},` +
        `sha256="${SHA}",ctx_size=8192,gpu_layers=41,parallel=4,model_path="${BLOB}" 7`,
    );
    expect(EVENTS_MEASUREMENT).toBe('ollama_events');
  });

  it('has no model tag when the model is unknown', () => {
    const p = parsed(STARTING_LLAMA_SERVER);
    const line = eventLine(p, 'h', STARTING_LLAMA_SERVER, null, '7');
    expect(line.startsWith('ollama_events,host=h,event=model_load_start,level=INFO message=')).toBe(true);
    expect(line).not.toContain(',model=');
  });

  it('has no level tag when the line states none', () => {
    const line = eventLine({ kind: 'model_loaded', load_seconds: 4.257 }, 'h', 'llama runner started in 4.257 seconds', null, '7');
    expect(line).toBe('ollama_events,host=h,event=model_loaded message="llama runner started in 4.257 seconds",load_seconds=4.257 7');
  });

  it('writes numbers as floats (no i), booleans, objects as JSON strings; leaves nulls and non-finite numbers out', () => {
    // A kind and keys no parser makes (a space to escape in the tag and a key), and every value type.
    const p = outsideTypes({
      kind: 'server config',
      level: 'INFO',
      count: 5,
      negative: -1,
      bytes: 8_149_180_896,
      ratio: 0.25,
      flag: true,
      off: false,
      env: { OLLAMA_MODELS: '/data/models', OLLAMA_NUM_PARALLEL: '1', quote: 'a"b' },
      list: [1, 'two'],
      missing: null,
      infinite: Infinity,
      nan: NaN,
      'odd key': 'v',
    });
    expect(eventLine(p, 'h', 'm', null, '9')).toBe(
      'ollama_events,host=h,event=server\\ config,level=INFO message="m",count=5,negative=-1,bytes=8149180896,ratio=0.25,flag=true,off=false,' +
        'env="{\\"OLLAMA_MODELS\\":\\"/data/models\\",\\"OLLAMA_NUM_PARALLEL\\":\\"1\\",\\"quote\\":\\"a\\\\\\"b\\"}",list="[1,\\"two\\"]",odd\\ key="v" 9',
    );
  });

  it('never writes an integer field', () => {
    const line = eventLine(parsed(TRUNCATING), 'h', TRUNCATING, null, '1');
    expect(line).toContain(',limit=2048,prompt=5065,keep=5,new=2048 1');
    expect(line).toContain('level=WARN');
    expect(line).not.toMatch(/=\d+i[ ,]/);
  });
});

describe('createEntryEncoder', () => {
  const settings = (over: Partial<EncoderSettings> = {}): EncoderSettings => ({
    host: 'gpu box',
    msgHashMode: 'tag',
    modelFor: (sha) => (sha === SHA ? 'gemma3:12b' : null),
    ...over,
  });

  function encode(message: string, over: Partial<EncoderSettings> = {}): string[] {
    const out: string[] = [];
    createEntryEncoder(settings(over))(entry(message), out);
    return out;
  }

  it('writes only the raw ollama_logs line for messages it does not recognise', () => {
    for (const message of UNKNOWN) {
      const lines = encode(message);
      expect(lines, message).toHaveLength(1);
      expect(lines[0]!.startsWith('ollama_logs,host=gpu\\ box,msg_hash=')).toBe(true);
    }
  });

  // entry()'s cursor seqnum 0x1740906849118123 mod 1000 = 979 (worked out with Python): the nanoseconds.
  const NS = '1740906849118123979';
  const HASH = /msg_hash=[0-9a-f]{16},/;

  it('writes the raw line and an ollama_requests line for a [GIN] line, at the same timestamp', () => {
    const expected: [string, string][] = [
      [GIN_CHAT, `ollama_requests,host=gpu\\ box,method=POST,path=/api/chat,status=200 client="10.0.0.23",latency_ms=3402.116597,url="/api/chat" ${NS}`],
      [GIN_SHOW, `ollama_requests,host=gpu\\ box,method=GET,path=/api/show,status=404 client="2001:db8::1:42",latency_ms=0.802311,url="/api/show?x=1" ${NS}`],
      [GIN_GENERATE, `ollama_requests,host=gpu\\ box,method=POST,path=/api/generate,status=500 client="::1",latency_ms=300000,url="/api/generate" ${NS}`],
    ];
    for (const [message, request] of expected) {
      const lines = encode(message);
      expect(lines, message).toHaveLength(2);
      expect(lines[0]!.replace(HASH, 'msg_hash=H,')).toBe(`ollama_logs,host=gpu\\ box,msg_hash=H,source=systemd message="${message.replaceAll('"', '\\"')}",pid="1187" ${NS}`);
      expect(lines[1]).toBe(request);
    }
  });

  it('writes the raw line and an ollama_events line for `starting llama server`, resolving the model', () => {
    const lines = encode(STARTING_LLAMA_SERVER);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ollama_events,host=gpu\\ box,event=model_load_start,level=INFO,model=gemma3:12b message="time=2025-03-02T09:14:05.118\+03:00 level=INFO /);
    for (const field of [`sha256="${SHA}"`, 'ctx_size=8192', 'gpu_layers=41', 'parallel=4']) expect(lines[1]).toContain(`,${field}`);
    expect(lines[1]!.endsWith(` ${NS}`)).toBe(true);
    expect(encode(STARTING_LLAMA_SERVER, { modelFor: () => null })[1]).not.toContain(',model=');
  });

  it('writes events for lines without a sha256 without asking for a model', () => {
    const asked: string[] = [];
    const lines = encode(RUNNER_STARTED, { modelFor: (sha) => (asked.push(sha), 'x') });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ollama_events,host=gpu\\ box,event=model_loaded,level=INFO message=".*",load_seconds=4.26 \d+$/);
    expect(asked).toEqual([]);
  });

  it('honours MSG_HASH_MODE=field', () => {
    const [raw] = encode(GIN_CHAT, { msgHashMode: 'field' });
    expect(raw).toMatch(new RegExp(`^ollama_logs,host=gpu\\\\ box,source=systemd message=".*",pid="1187",msg_hash="[0-9a-f]{16}" ${NS}$`));
  });

  it('is a pure function of the entry: the same entry gives identical lines, appended to `out`', () => {
    const encoder = createEntryEncoder(settings());
    const out: string[] = ['existing'];
    for (const message of [GIN_CHAT, STARTING_LLAMA_SERVER, UNKNOWN[0]!]) encoder(entry(message), out);
    const again: string[] = ['existing'];
    const other = createEntryEncoder(settings());
    for (const message of [GIN_CHAT, STARTING_LLAMA_SERVER, UNKNOWN[0]!]) other(entry(message), again);
    expect(out).toHaveLength(1 + 2 + 2 + 1);
    expect(again).toEqual(out);
    // Another entry with the same text and microsecond (another place in the journal) gets another key.
    const other2: string[] = [];
    encoder({ ...entry(GIN_CHAT), cursor: 's=abc;i=ff' }, other2);
    expect(other2[0]).not.toBe(out[1]);
  });
});
