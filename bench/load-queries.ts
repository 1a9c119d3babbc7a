/**
 * Search queries for the load benchmark: fragments of real titles, phrases
 * from real abstracts and hand-written descriptions, all different, in a
 * seeded random order. Every request gets a new query, so no response or
 * query cache can make search look fast.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { mulberry32 } from '../test/support/random.js';

/** How people describe what they are looking for when they do not know a title. */
export const DESCRIPTIVE_QUERIES: readonly string[] = [
  'how to make diffusion models generate images faster',
  'reducing hallucinations in large language models',
  'robot learning manipulation from human videos',
  'long context attention that scales linearly',
  'evaluating code generation of language models on real repositories',
  'text to video generation with consistent characters',
  'reinforcement learning from human feedback without a reward model',
  'small language models that run on a phone',
  'mixture of experts routing and load balancing',
  '3d reconstruction from a few photos',
  'speculative decoding to speed up inference',
  'benchmark for multimodal reasoning about charts and tables',
  'agents that browse the web to complete tasks',
  'quantizing llm weights to 4 bits without losing accuracy',
  'retrieval augmented generation for question answering over documents',
  'self-supervised learning of visual representations',
  'chain of thought reasoning in math word problems',
  'world models for autonomous driving simulation',
  'speech recognition for low resource languages',
  'protein structure prediction with deep learning',
  'detecting machine generated text',
  'jailbreak attacks on aligned chat models',
  'image editing with text instructions',
  'training data selection for instruction tuning',
  'gaussian splatting for dynamic scenes',
  'vision language models for medical images',
  'kv cache compression for long sequences',
  'music generation from text descriptions',
  'tokenizer free language modeling on bytes',
  'scaling laws for training compute and data',
  'humanoid robot whole body control',
  'open source reproduction of a reasoning model',
  'video understanding with long temporal context',
  'synthetic data generation to improve math reasoning',
  'state space models as an alternative to transformers',
  'personalized image generation of a specific subject',
  'unlearning private data from trained models',
  'evaluating llm agents on software engineering issues',
  'efficient fine-tuning with low rank adapters',
  'depth estimation from a single image',
  'multilingual translation with large language models',
  'graph neural networks for molecules',
  'preference optimization without reinforcement learning',
  'watermarking generated images',
  'embodied agents following natural language instructions',
  'sparse attention for efficient transformers',
  'evaluating factuality of long form answers',
  'text to 3d asset generation',
  'memory for conversational agents over many sessions',
  'uncertainty estimation for language model answers',
];

export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
}

/** Ids, titles and abstracts of a JSON-lines file (gzipped or not) with `id`, `title` and `summary` or `abstract` fields. */
export function readCorpus(path: string): CorpusPaper[] {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const out: CorpusPaper[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const rec = JSON.parse(line) as { id?: unknown; title?: unknown; summary?: unknown; abstract?: unknown };
    const abstract = typeof rec.summary === 'string' ? rec.summary : typeof rec.abstract === 'string' ? rec.abstract : '';
    if (typeof rec.id === 'string' && typeof rec.title === 'string') out.push({ id: rec.id, title: rec.title, abstract });
  }
  return out;
}

// Words as a user would type them: no LaTeX, URLs or stray punctuation.
const WORD = /^[\p{L}\p{N}][\p{L}\p{N}'-]*$/u;
const words = (text: string) =>
  text
    .split(/\s+/)
    .map((w) => w.replace(/^[("'[]+|[)"'\].,;:!?]+$/g, ''))
    .filter((w) => WORD.test(w));

/** `length` consecutive words from a random place, lower-cased; null when the text is shorter. */
function fragment(text: string, length: number, random: () => number): string | null {
  const w = words(text);
  if (w.length < length) return null;
  const start = Math.floor(random() * (w.length - length + 1));
  return w
    .slice(start, start + length)
    .join(' ')
    .toLowerCase();
}

const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/**
 * Up to `count` different queries: half title fragments (2-5 words), half
 * abstract phrases (3-7 words), and the descriptive ones, shuffled.
 */
export function buildQueries(papers: readonly CorpusPaper[], count: number, seed = 8): string[] {
  const random = mulberry32(seed);
  const out = new Set<string>(DESCRIPTIVE_QUERIES.slice(0, count));
  // A bounded number of tries: a tiny corpus cannot give `count` different queries.
  for (let tries = 0; out.size < count && tries < count * 20 && papers.length > 0; tries++) {
    const paper = papers[Math.floor(random() * papers.length)] as CorpusPaper;
    const q = tries % 2 === 0 ? fragment(paper.title, between(random, 2, 5), random) : fragment(paper.abstract, between(random, 3, 7), random);
    if (q !== null) out.add(q);
  }
  const queries = [...out];
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j] as string, queries[i] as string];
  }
  return queries;
}
