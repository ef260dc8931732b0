// Writes a tiny llama-architecture GGUF model: random F32 weights and a SentencePiece ("llama")
// vocabulary with byte fallback, which both llama.cpp's loader (Ollama 0.6-era runner) and Ollama's
// own engine (model/models/llama) accept. No model can be downloaded here, so the real-Ollama tests
// make their models with this. Plain JavaScript: it runs inside the e2e container with the host's node.
//
//   node test/support/gguf.mjs OUT.gguf [--seed N] [--embd 64] [--layers 2] [--ctx 2048]
//
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (version 3, little-endian).

import { openSync, writeSync, closeSync } from 'node:fs';

const ALIGNMENT = 32;
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 };
const GGML_TYPE_F32 = 0;
// llama.cpp's token types.
const NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6;

function str(s) {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([len, bytes]);
}
function u32(n) { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; }
function i32(n) { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; }
function u64(n) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; }
function f32(n) { const b = Buffer.alloc(4); b.writeFloatLE(n); return b; }

function value(type, v) {
  switch (type) {
    case T.UINT32: return Buffer.concat([u32(T.UINT32), u32(v)]);
    case T.FLOAT32: return Buffer.concat([u32(T.FLOAT32), f32(v)]);
    case T.BOOL: return Buffer.concat([u32(T.BOOL), Buffer.from([v ? 1 : 0])]);
    case T.STRING: return Buffer.concat([u32(T.STRING), str(v)]);
    default: throw new Error(`unsupported type ${type}`);
  }
}
function array(type, items) {
  const enc = { [T.STRING]: str, [T.FLOAT32]: f32, [T.UINT32]: u32, [T.INT32]: i32 }[type];
  return Buffer.concat([u32(T.ARRAY), u32(type), u64(items.length), ...items.map(enc)]);
}

/** A vocabulary SentencePiece can tokenize any text with: specials, the 256 byte tokens, some pieces. */
function vocabulary() {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [UNKNOWN, CONTROL, CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(BYTE);
  }
  const pieces = ['▁'];
  for (const c of 'abcdefghijklmnopqrstuvwxyz') pieces.push(c, `▁${c}`);
  for (const w of ['the', 'and', 'ing', 'hello', 'world', 'model', 'test', 'lama']) pieces.push(w, `▁${w}`);
  for (const p of pieces) {
    tokens.push(p);
    types.push(NORMAL);
  }
  // Longer pieces score higher so SentencePiece prefers them; bytes and specials score lowest.
  const scores = tokens.map((t, i) => (types[i] === NORMAL ? -1000 + [...t].length : -10000));
  return { tokens, types, scores };
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeGguf(path, { seed = 1, embd = 64, layers = 2, ctx = 2048, heads = 4, ff = 128, name = 'tiny-llama' } = {}) {
  const vocab = vocabulary();
  const nVocab = vocab.tokens.length;
  const kv = [
    ['general.architecture', value(T.STRING, 'llama')],
    ['general.name', value(T.STRING, name)],
    ['general.alignment', value(T.UINT32, ALIGNMENT)],
    ['general.file_type', value(T.UINT32, 0)], // all F32
    ['llama.context_length', value(T.UINT32, ctx)],
    ['llama.embedding_length', value(T.UINT32, embd)],
    ['llama.block_count', value(T.UINT32, layers)],
    ['llama.feed_forward_length', value(T.UINT32, ff)],
    ['llama.rope.dimension_count', value(T.UINT32, embd / heads)],
    ['llama.attention.head_count', value(T.UINT32, heads)],
    ['llama.attention.head_count_kv', value(T.UINT32, heads)],
    ['llama.attention.layer_norm_rms_epsilon', value(T.FLOAT32, 1e-5)],
    ['llama.rope.freq_base', value(T.FLOAT32, 10000)],
    ['llama.vocab_size', value(T.UINT32, nVocab)],
    ['tokenizer.ggml.model', value(T.STRING, 'llama')],
    ['tokenizer.ggml.tokens', array(T.STRING, vocab.tokens)],
    ['tokenizer.ggml.scores', array(T.FLOAT32, vocab.scores)],
    ['tokenizer.ggml.token_type', array(T.INT32, vocab.types)],
    ['tokenizer.ggml.bos_token_id', value(T.UINT32, 1)],
    ['tokenizer.ggml.eos_token_id', value(T.UINT32, 2)],
    ['tokenizer.ggml.unknown_token_id', value(T.UINT32, 0)],
    ['tokenizer.ggml.add_bos_token', value(T.BOOL, true)],
    ['tokenizer.ggml.add_eos_token', value(T.BOOL, false)],
  ];
  // ggml dims: ne[0] first (the row length).
  const tensors = [['token_embd.weight', [embd, nVocab]]];
  for (let i = 0; i < layers; i++) {
    tensors.push(
      [`blk.${i}.attn_norm.weight`, [embd]],
      [`blk.${i}.attn_q.weight`, [embd, embd]],
      [`blk.${i}.attn_k.weight`, [embd, embd]],
      [`blk.${i}.attn_v.weight`, [embd, embd]],
      [`blk.${i}.attn_output.weight`, [embd, embd]],
      [`blk.${i}.ffn_norm.weight`, [embd]],
      [`blk.${i}.ffn_gate.weight`, [embd, ff]],
      [`blk.${i}.ffn_up.weight`, [embd, ff]],
      [`blk.${i}.ffn_down.weight`, [ff, embd]],
    );
  }
  tensors.push(['output_norm.weight', [embd]], ['output.weight', [embd, nVocab]]);

  const infos = [];
  let offset = 0;
  for (const [tname, dims] of tensors) {
    infos.push(Buffer.concat([str(tname), u32(dims.length), ...dims.map(u64), u32(GGML_TYPE_F32), u64(offset)]));
    const bytes = dims.reduce((a, b) => a * b, 1) * 4;
    offset += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
  }
  const header = Buffer.concat([
    Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(kv.length),
    ...kv.map(([k, v]) => Buffer.concat([str(k), v])),
    ...infos,
  ]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    writeSync(fd, Buffer.alloc((ALIGNMENT - (header.length % ALIGNMENT)) % ALIGNMENT));
    const random = mulberry32(seed);
    for (const [tname, dims] of tensors) {
      const n = dims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      const isNorm = tname.endsWith('norm.weight');
      for (let i = 0; i < n; i++) data[i] = isNorm ? 1 : (random() - 0.5) * 0.1;
      const bytes = Buffer.from(data.buffer);
      writeSync(fd, bytes);
      writeSync(fd, Buffer.alloc((ALIGNMENT - (bytes.length % ALIGNMENT)) % ALIGNMENT));
    }
  } finally {
    closeSync(fd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out) {
    console.error('usage: gguf.mjs OUT.gguf [--seed N] [--embd N] [--layers N] [--ctx N] [--name NAME]');
    process.exit(2);
  }
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, '');
    opts[key] = key === 'name' ? rest[i + 1] : Number(rest[i + 1]);
  }
  writeGguf(out, opts);
}
