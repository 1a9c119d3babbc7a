// A tiny BERT-like sentence-transformer, written from code for tests: never
// downloaded. Random (seeded) weights: it checks loading, tokenising, pooling
// and shapes, never quality. The directory is laid out like a Hub ONNX export:
//
//   config.json  tokenizer.json  tokenizer_config.json  special_tokens_map.json
//   1_Pooling/config.json  modules.json  onnx/model.onnx  [onnx/model_quantized.onnx]
//
// The graph takes input_ids, attention_mask and token_type_ids [batch, seq]
// (int64) and returns last_hidden_state [batch, seq, hidden]:
//
//   e   = word[input_ids] + type[token_type_ids]
//   ctx = sum over the sequence of e * mask           (every token sees the text)
//   out = tanh(e + ctx · mix) * mask
//
// so the first token ([CLS]) differs between texts and CLS pooling means
// something. `forward()` computes the same in plain TypeScript, for tests to
// compare the ONNX runtime's answer with. The ONNX protobuf is encoded with
// protobufjs from the subset of onnx.proto3 below (field numbers as in
// onnx/onnx's onnx.proto3).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { mulberry32 } from './random.js';

const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1; int32 type = 20; float f = 2; int64 i = 3; bytes s = 4;
  repeated float floats = 7; repeated int64 ints = 8;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  string domain = 7; repeated AttributeProto attribute = 5;
}
message ModelProto {
  int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8; string producer_name = 2;
  string producer_version = 3; GraphProto graph = 7;
}
message GraphProto {
  repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; }
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** Whole words and two WordPiece continuations ("models" = "model" + "##s"). */
export const WORDS = [
  'a', 'of', 'for', 'the', 'and', 'with', 'in', 'to', 'on', 'we',
  'gaussian', 'splatting', 'scene', 'scenes', 'diffusion', 'transformer', 'language', 'model', 'large', 'small',
  'quantization', 'low', 'bit', 'speech', 'synthesis', 'image', 'video', 'retrieval', 'search', 'paper',
  'graph', 'neural', 'network', 'learning', 'robot', 'policy', 'training', 'data', 'fast', 'new',
  '##s', '##ing',
];
export const VOCAB: readonly string[] = [...SPECIAL_TOKENS, ...WORDS];
const id = (token: string) => VOCAB.indexOf(token);

export interface TinyModelOptions {
  /** hidden_size (default 32). */
  hidden?: number;
  /** Weights seed (default 1). */
  seed?: number;
  /** 1_Pooling/config.json: CLS or mean pooling (default mean). */
  pooling?: 'mean' | 'cls';
  /** Also write onnx/model_quantized.onnx (the same graph with other weights: what a loader picks is visible). */
  quantized?: boolean;
  /** Leave out onnx/model.onnx (only with `quantized`). */
  noFp32?: boolean;
}

export interface TinyWeights {
  hidden: number;
  word: Float32Array;
  type: Float32Array;
  mix: Float32Array;
}

export function tinyWeights(hidden = 32, seed = 1): TinyWeights {
  const rand = mulberry32(seed);
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  return { hidden, word: fill(VOCAB.length * hidden, 1), type: fill(2 * hidden, 0.1), mix: fill(hidden * hidden, 0.5 / Math.sqrt(hidden)) };
}

/** last_hidden_state for one sequence of token ids (attention mask all ones, token types 0), in float64. */
export function forward(w: TinyWeights, ids: number[]): number[][] {
  const H = w.hidden;
  const e = ids.map((t) => Array.from({ length: H }, (_, j) => w.word[t * H + j]! + w.type[j]!));
  const ctx = Array.from({ length: H }, (_, j) => e.reduce((s, row) => s + row[j]!, 0));
  const mixed = Array.from({ length: H }, (_, k) => ctx.reduce((s, c, j) => s + c * w.mix[j * H + k]!, 0));
  return e.map((row) => row.map((v, k) => Math.tanh(v + mixed[k]!)));
}

/** The ids the tokenizer gives a text made of vocabulary words (lower-cased, split on spaces), with [CLS] and [SEP]. */
export function tinyTokenIds(text: string): number[] {
  const ids = [id('[CLS]')];
  for (const word of text.toLowerCase().split(/\s+/).filter(Boolean)) {
    if (id(word) >= 0) ids.push(id(word));
    else if (word.endsWith('s') && id(word.slice(0, -1)) >= 0) ids.push(id(word.slice(0, -1)), id('##s'));
    else ids.push(id('[UNK]'));
  }
  ids.push(id('[SEP]'));
  return ids;
}

/** Mean or CLS pooling of `forward`, unit length: what the embedder should return. */
export function expectedEmbedding(w: TinyWeights, text: string, pooling: 'mean' | 'cls'): Float32Array {
  const states = forward(w, tinyTokenIds(text));
  const pooled = pooling === 'cls' ? states[0]! : states[0]!.map((_, j) => states.reduce((s, row) => s + row[j]!, 0) / states.length);
  const norm = Math.hypot(...pooled);
  return Float32Array.from(pooled, (v) => v / norm);
}

function le(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** onnx/model.onnx for the given weights. */
export function tinyOnnxBytes(w: TinyWeights): Uint8Array {
  const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  const Model = root.lookupType('onnx.ModelProto');
  const H = w.hidden;
  const tensor = (name: string, dims: number[], data: Float32Array | BigInt64Array) => ({
    name,
    dims,
    data_type: data instanceof Float32Array ? FLOAT : INT64,
    raw_data: le(data),
  });
  const io = (name: string, elemType: number, dims: (string | number)[]) => ({
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } },
  });
  const node = (op_type: string, input: string[], output: string[], attribute: object[] = []) => ({ op_type, input, output, name: output[0], attribute });
  const model = {
    ir_version: 8,
    producer_name: 'paperboy-tests',
    producer_version: '1',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny-sentence-transformer',
      input: [io('input_ids', INT64, ['batch', 'sequence']), io('attention_mask', INT64, ['batch', 'sequence']), io('token_type_ids', INT64, ['batch', 'sequence'])],
      output: [io('last_hidden_state', FLOAT, ['batch', 'sequence', H])],
      initializer: [
        tensor('word_embeddings', [VOCAB.length, H], w.word),
        tensor('token_type_embeddings', [2, H], w.type),
        tensor('mix', [H, H], w.mix),
        tensor('axis_1', [1], BigInt64Array.of(1n)),
        tensor('axis_2', [1], BigInt64Array.of(2n)),
      ],
      node: [
        node('Gather', ['word_embeddings', 'input_ids'], ['words']),
        node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
        node('Add', ['words', 'types'], ['embedded']),
        node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: ATTR_INT, i: FLOAT }]),
        node('Unsqueeze', ['mask_float', 'axis_2'], ['mask']),
        node('Mul', ['embedded', 'mask'], ['masked']),
        node('ReduceSum', ['masked', 'axis_1'], ['context'], [{ name: 'keepdims', type: ATTR_INT, i: 1 }]),
        node('MatMul', ['context', 'mix'], ['mixed']),
        node('Add', ['embedded', 'mixed'], ['pre']),
        node('Tanh', ['pre'], ['hidden']),
        node('Mul', ['hidden', 'mask'], ['last_hidden_state']),
      ],
    },
  };
  const problem = Model.verify(model);
  if (problem) throw new Error(`tiny ONNX model: ${problem}`);
  return Uint8Array.from(Model.encode(Model.fromObject(model)).finish());
}

/** A real WordPiece tokenizer.json (Hugging Face tokenizers format) over VOCAB. */
export function tinyTokenizerJson(): object {
  const special = (token: string) => ({ id: id(token), content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  const sep = (type_id: number) => ({ SpecialToken: { id: '[SEP]', type_id } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0)],
      pair: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0), { Sequence: { id: 'B', type_id: 1 } }, sep(1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
  };
}

/** Every file of the model directory, by relative path. */
export function tinyModelFiles(opts: TinyModelOptions = {}): Map<string, Uint8Array> {
  const hidden = opts.hidden ?? 32;
  const seed = opts.seed ?? 1;
  const json = (value: object) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  const files = new Map<string, Uint8Array>();
  files.set('config.json', json({
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: hidden,
    num_attention_heads: 2,
    num_hidden_layers: 1,
    intermediate_size: hidden * 2,
    vocab_size: VOCAB.length,
    max_position_embeddings: 64,
    type_vocab_size: 2,
    pad_token_id: 0,
  }));
  files.set('tokenizer.json', json(tinyTokenizerJson()));
  files.set('tokenizer_config.json', json({
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 64,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  }));
  files.set('special_tokens_map.json', json({ cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }));
  files.set('modules.json', json([
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ]));
  const cls = opts.pooling === 'cls';
  files.set('1_Pooling/config.json', json({ word_embedding_dimension: hidden, pooling_mode_cls_token: cls, pooling_mode_mean_tokens: !cls, pooling_mode_max_tokens: false }));
  if (!opts.noFp32) files.set('onnx/model.onnx', tinyOnnxBytes(tinyWeights(hidden, seed)));
  if (opts.quantized) files.set('onnx/model_quantized.onnx', tinyOnnxBytes(tinyWeights(hidden, seed + 1000)));
  return files;
}

/** Writes the model directory; returns it. */
export function writeTinyModel(dir: string, opts: TinyModelOptions = {}): string {
  for (const [path, bytes] of tinyModelFiles(opts)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}
