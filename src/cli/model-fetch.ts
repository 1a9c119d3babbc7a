/**
 * paperboy model fetch MODEL [--revision R] [--quantized | --fp32] [--hub-url URL]
 *
 * Downloads a sentence-transformer's ONNX export from the Hugging Face Hub into
 * <data dir>/models/onnx/<org>__<name>, for PAPERBOY_EMBEDDER=onnx:MODEL.
 * Exit status: 0 the model is in place and loads, 1 it is not (one line says why).
 *
 * What comes from @huggingface/transformers and what does not. The library
 * decides which ONNX files its loader reads (ModelRegistry.get_model_files:
 * the dtype suffix, external-data chunks), and the finished directory is
 * loaded through it before the command says it is done. Its own downloader
 * (hub.js getModelFile, FileCache.put in 4.3.2) is not used: it reports
 * progress, but it writes each file to a temporary name that it deletes on
 * any error (no resume), sends no Range request, verifies no checksum, and
 * stores files under its cache's layout in node_modules. So the files are
 * fetched here with fetch():
 *  - one metadata request, GET /api/models/{id}/revision/{rev}?blobs=true,
 *    gives the commit the revision points to (every file is then read at that
 *    commit, so a push in between cannot mix versions) and each file's size
 *    and checksum: `lfs.sha256` for LFS files, `blobId` (the git blob SHA-1)
 *    for small ones. Should it lack one, the resolve response's
 *    X-Linked-Etag / ETag header (the same values) is used; a file with
 *    neither is refused;
 *  - each file goes to FILE.part, continued with `Range: bytes=N-` after a
 *    dropped connection (retried in the same run) or a killed run (the next
 *    run), checked, then renamed into place; a wrong checksum deletes it;
 *  - files already in place are hashed, not downloaded again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { FETCH_MANIFEST, fetchedModelDir, importTransformers, isHubModelId, loadOnnxEmbedder } from '../search/onnx-embedder.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface ModelFetchContext {
  dataDir: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Retries of a dropped download within one run (default 3), and the first wait (default 1 s, doubling). */
  retries?: number;
  retryDelayMs?: number;
}

export const MODEL_FETCH_USAGE = `Usage: paperboy model fetch MODEL [--revision R] [--quantized | --fp32] [--hub-url URL]

Downloads the ONNX export of a sentence-transformer (for example
BAAI/bge-small-en-v1.5) into the data dir's models/onnx/, once: files
already there are checked, not downloaded again, and an interrupted download
continues where it stopped. Every file is checked against the checksum the
Hub publishes. Then PAPERBOY_EMBEDDER=onnx:MODEL serves it.
  --revision R   branch, tag or commit (default main)
  --quantized    onnx/model_quantized.onnx (the default when the model has it)
  --fp32         onnx/model.onnx
  --hub-url URL  the Hub's address (default ${DEFAULT_HUB_URL})
`;

/** A problem the operator can act on, said in one line. */
export class ModelFetchError extends Error {}

/** The files a sentence-transformer export needs besides its ONNX weights. */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL = ['special_tokens_map.json', '1_Pooling/config.json'];

interface RemoteFile {
  path: string;
  size?: number;
  sha256?: string;
  gitBlobSha1?: string;
}

interface ModelInfo {
  commit: string;
  files: Map<string, RemoteFile>;
}

type Digest = { kind: 'sha256' | 'git-sha1'; hex: string };

const MiB = 1024 * 1024;
const size = (n: number) => (n < MiB ? `${(n / 1024).toFixed(1)} KiB` : `${(n / MiB).toFixed(1)} MiB`);

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no data in time',
};

/** What went wrong on the network, in a few words ("connection refused (ECONNREFUSED)"). */
function networkReason(err: unknown): string {
  if ((err as Error)?.name === 'TimeoutError') return 'no answer within 60 s';
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  if (code && NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${code})`;
  return code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

function expectedDigest(file: RemoteFile): Digest | null {
  if (file.sha256) return { kind: 'sha256', hex: file.sha256 };
  if (file.gitBlobSha1) return { kind: 'git-sha1', hex: file.gitBlobSha1 };
  return null;
}

/** The checksum in a resolve response's headers: X-Linked-Etag (LFS, SHA-256) or ETag (git blob SHA-1 of a small file). */
function headerDigest(headers: Headers): Digest | null {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    if (value && /^[0-9a-f]{64}$/.test(value)) return { kind: 'sha256', hex: value };
    if (value && /^[0-9a-f]{40}$/.test(value)) return { kind: 'git-sha1', hex: value };
  }
  return null;
}

/** SHA-256 of the file, or its git blob SHA-1 (sha1 of "blob <size>\0" + bytes), as the Hub publishes for small files. */
async function fileDigest(path: string, kind: Digest['kind']): Promise<string> {
  const hash = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  if (kind === 'git-sha1') hash.update(`blob ${statSync(path).size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

class Hub {
  constructor(
    readonly url: string,
    readonly model: string,
  ) {}

  resolveUrl(commit: string, path: string): string {
    return `${this.url}/${this.model}/resolve/${commit}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(url, { redirect: 'follow', ...init });
    } catch (err) {
      throw new ModelFetchError(`cannot reach ${this.url}: ${networkReason(err)}`);
    }
  }

  /** The commit a revision points to and every file's size and checksum. */
  async info(revision: string): Promise<ModelInfo> {
    const url = `${this.url}/api/models/${this.model}/revision/${encodeURIComponent(revision)}?blobs=true`;
    const res = await this.request(url, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) {
      const code = res.headers.get('x-error-code');
      await res.body?.cancel();
      if (code === 'RevisionNotFound') throw new ModelFetchError(`${this.model} has no revision "${revision}" on ${this.url}`);
      if (code === 'GatedRepo') throw new ModelFetchError(`${this.model} is gated on ${this.url}: accept its terms there; paperboy sends no access token`);
      // The Hub answers 401 rather than 404 for a model it does not show to anonymous clients.
      if (res.status === 404 || res.status === 401) throw new ModelFetchError(`model ${this.model} not found on ${this.url} (check the name; private models cannot be fetched)`);
      throw new ModelFetchError(`${this.url} answered HTTP ${res.status} for ${this.model}'s file list`);
    }
    let body: { sha?: unknown; siblings?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new ModelFetchError(`${this.url} sent an unreadable file list for ${this.model}: ${networkReason(err)}`);
    }
    if (typeof body.sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.sha) || !Array.isArray(body.siblings)) {
      throw new ModelFetchError(`${this.url} sent no commit or file list for ${this.model}`);
    }
    const files = new Map<string, RemoteFile>();
    for (const s of body.siblings as { rfilename?: unknown; size?: unknown; blobId?: unknown; lfs?: { sha256?: unknown; size?: unknown } }[]) {
      if (typeof s?.rfilename !== 'string') continue;
      const sha256 = typeof s.lfs?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(s.lfs.sha256) ? s.lfs.sha256 : undefined;
      const blob = typeof s.blobId === 'string' && /^[0-9a-f]{40}$/.test(s.blobId) ? s.blobId : undefined;
      const bytes = [s.lfs?.size, s.size].find((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0);
      files.set(s.rfilename, { path: s.rfilename, size: bytes, sha256, gitBlobSha1: sha256 ? undefined : blob });
    }
    return { commit: body.sha, files };
  }
}

/** One line per file; on a terminal also a bar while it downloads. */
class Progress {
  private bar: cliProgress.SingleBar | null = null;

  constructor(private readonly ctx: ModelFetchContext) {}

  start(path: string, total: number, from: number): void {
    if (!this.ctx.isTTY || total <= 0) return;
    this.bar = new cliProgress.SingleBar(
      { stream: this.ctx.stderr, format: `${path} [{bar}] {percentage}% | {done} of {all} | {speed}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, from, { done: size(from), all: size(total), speed: '' });
  }

  update(done: number, bytesPerSecond: number): void {
    this.bar?.update(done, { done: size(done), speed: `${size(bytesPerSecond)}/s` });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  line(text: string): void {
    this.stop();
    this.ctx.stdout.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stop();
    this.ctx.stderr.write(`${text}\n`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface DownloadResult {
  /** Bytes received in this run, and where the first request started. */
  received: number;
  resumedAt: number;
  digest: Digest | null;
}

/**
 * Streams the file into `part` from its current size on (a Range request),
 * retrying dropped connections. Returns what the last response said about the checksum.
 */
async function download(hub: Hub, url: string, file: RemoteFile, part: string, ctx: ModelFetchContext, progress: Progress): Promise<DownloadResult> {
  const retries = ctx.retries ?? 3;
  let wait = ctx.retryDelayMs ?? 1000;
  let offset = existsSync(part) ? statSync(part).size : 0;
  if (file.size !== undefined && offset > file.size) offset = 0;
  const resumedAt = offset;
  let received = 0;
  let digest: Digest | null = null;
  for (let attempt = 0; ; attempt++) {
    if (file.size !== undefined && offset === file.size && offset > 0) return { received, resumedAt, digest };
    const res = await hub.request(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} });
    if (res.status === 416) {
      // The part is longer than the file now is: start again.
      await res.body?.cancel();
      offset = 0;
      await rm(part, { force: true });
      continue;
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new ModelFetchError(`${hub.model} has no ${file.path} at ${url}`);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      if ((res.status === 429 || res.status >= 500) && attempt < retries) {
        progress.warn(`${file.path}: HTTP ${res.status}; trying again in ${wait / 1000} s`);
        await sleep(wait);
        wait *= 2;
        continue;
      }
      throw new ModelFetchError(`${hub.url} answered HTTP ${res.status} for ${file.path}`);
    }
    digest = headerDigest(res.headers) ?? digest;
    let start = 0;
    if (res.status === 206) {
      const range = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      start = range ? Number(range[1]) : -1;
      if (start !== offset) {
        await res.body?.cancel();
        throw new ModelFetchError(`${hub.url} answered a request for ${file.path} from byte ${offset} with "${res.headers.get('content-range')}"`);
      }
    }
    // 200: the server sent the whole file (it ignored the Range, or none was asked).
    const handle = await open(part, start > 0 ? 'a' : 'w');
    let done = start;
    const total = file.size ?? (Number(res.headers.get('content-length')) || 0) + start;
    progress.start(file.path, total, done);
    const began = Date.now();
    const chunks = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    let dropped: unknown = null;
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (err) {
          dropped = err;
          break;
        }
        if (next.done) return { received, resumedAt, digest };
        try {
          await handle.write(next.value);
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOSPC') {
            throw new ModelFetchError(`the disk is full: ${file.path} stopped at ${size(done)} in ${part}; free some space and run the same command again to resume`);
          }
          throw err;
        }
        done += next.value.byteLength;
        received += next.value.byteLength;
        progress.update(done, ((done - start) * 1000) / Math.max(1, Date.now() - began));
      }
    } finally {
      await handle.close();
    }
    // The connection dropped: what arrived is kept, and the next request asks for the rest.
    offset = done;
    const why = networkReason(dropped);
    if (attempt >= retries) {
      throw new ModelFetchError(`the connection dropped while downloading ${file.path} (${why}) at ${size(done)}${total ? ` of ${size(total)}` : ''}; run the same command again to resume`);
    }
    progress.warn(`${file.path}: the connection dropped at ${size(done)} (${why}); resuming in ${wait / 1000} s`);
    await sleep(wait);
    wait *= 2;
  }
}

async function verified(path: string, digest: Digest): Promise<boolean> {
  return (await fileDigest(path, digest.kind)) === digest.hex;
}

const digestName = (d: Digest) => (d.kind === 'sha256' ? 'sha256' : 'git sha1');

/** Makes sure `file` is in `dir` with the published checksum. */
async function ensureFile(hub: Hub, commit: string, file: RemoteFile, dir: string, ctx: ModelFetchContext, progress: Progress): Promise<{ downloaded: boolean; digest: Digest }> {
  const target = join(dir, file.path);
  const part = `${target}.part`;
  const known = expectedDigest(file);
  if (known && existsSync(target) && (file.size === undefined || statSync(target).size === file.size) && (await verified(target, known))) {
    progress.line(`${file.path}: already here, ${digestName(known)} ok`);
    return { downloaded: false, digest: known };
  }
  mkdirSync(dirname(target), { recursive: true });
  const url = hub.resolveUrl(commit, file.path);
  const began = Date.now();
  for (let fresh = false; ; fresh = true) {
    const got = await download(hub, url, file, part, ctx, progress);
    progress.stop();
    const digest = known ?? got.digest;
    if (!digest) {
      await rm(part, { force: true });
      throw new ModelFetchError(`${hub.url} publishes no checksum for ${file.path}; it was not kept`);
    }
    const actual = await fileDigest(part, digest.kind);
    const partSize = statSync(part).size;
    if (actual === digest.hex && (file.size === undefined || partSize === file.size)) {
      await rename(part, target);
      const resumed = got.resumedAt > 0 ? `resumed at ${size(got.resumedAt)}, ` : '';
      progress.line(`${file.path}: ${resumed}downloaded ${size(got.received)} in ${((Date.now() - began) / 1000).toFixed(1)} s, ${digestName(digest)} ok`);
      return { downloaded: true, digest };
    }
    await rm(part, { force: true });
    const mismatch = `checksum mismatch for ${file.path}: expected ${digestName(digest)} ${digest.hex}, got ${actual} (${partSize} bytes)`;
    // A part left by an earlier run may hold an older version of the file: one fresh try.
    if (got.resumedAt > 0 && !fresh) {
      progress.warn(`${mismatch}; the resumed download was deleted, downloading it again from the start`);
      continue;
    }
    throw new ModelFetchError(`${mismatch}; the download was deleted`);
  }
}

/** Only one fetch writes into a model directory at a time. */
async function lock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, '.fetch.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8'));
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = Number.isInteger(pid) && pid > 0;
      } catch (e) {
        alive = (e as { code?: string }).code === 'EPERM';
      }
      if (alive) throw new ModelFetchError(`another paperboy model fetch (pid ${pid}) is downloading into ${dir}`);
      await rm(path, { force: true });
    }
  }
  throw new ModelFetchError(`cannot take ${path}`);
}

export interface FetchRequest {
  model: string;
  revision: string;
  dtype: 'auto' | 'q8' | 'fp32';
  hubUrl: string;
}

export interface FetchOutcome {
  dir: string;
  commit: string;
  downloaded: number;
  present: number;
  weights: string;
}

/** The ONNX files transformers.js loads for this config and dtype (weights plus any external-data chunks). */
async function weightFiles(model: string, config: Record<string, unknown>, dtype: 'q8' | 'fp32'): Promise<string[]> {
  const lib = (await importTransformers()) as unknown as {
    ModelRegistry: { get_model_files(id: string, o: { config: Record<string, unknown>; dtype: string }): Promise<string[]> };
  };
  const files = await lib.ModelRegistry.get_model_files(model, { config, dtype });
  return files.filter((f) => f.startsWith('onnx/'));
}

export async function fetchModel(req: FetchRequest, ctx: ModelFetchContext): Promise<FetchOutcome> {
  if (!isHubModelId(req.model)) throw new ModelFetchError(`"${req.model}" is not a model name such as BAAI/bge-small-en-v1.5`);
  const dir = fetchedModelDir(ctx.dataDir, req.model);
  const hub = new Hub(req.hubUrl, req.model);
  const { commit, files } = await hub.info(req.revision);
  const missing = REQUIRED.filter((f) => !files.has(f));
  if (missing.length > 0) throw new ModelFetchError(`${req.model} has no ${missing.join(', ')}: it is not a sentence-transformer with a tokenizer`);
  const onnx = [...files.keys()].filter((f) => /^onnx\/.*\.onnx$/.test(f)).sort();
  const dtype = req.dtype === 'auto' ? (files.has('onnx/model_quantized.onnx') ? 'q8' : 'fp32') : req.dtype;

  mkdirSync(dir, { recursive: true });
  const unlock = await lock(dir);
  const progress = new Progress(ctx);
  try {
    const manifestPath = join(dir, FETCH_MANIFEST);
    const previous = existsSync(manifestPath) ? (JSON.parse(await readFile(manifestPath, 'utf8')) as { files?: Record<string, unknown> }) : null;
    const wanted = [...REQUIRED, ...OPTIONAL.filter((f) => files.has(f))];
    // An optional file we fetched before and the model no longer has would still steer loading (1_Pooling picks the pooling).
    for (const f of OPTIONAL.filter((f) => !files.has(f) && previous?.files?.[f] !== undefined)) await rm(join(dir, f), { force: true });

    const done = new Map<string, Digest>();
    let downloaded = 0;
    const fetchOne = async (path: string) => {
      const r = await ensureFile(hub, commit, files.get(path)!, dir, ctx, progress);
      done.set(path, r.digest);
      if (r.downloaded) downloaded++;
    };
    for (const f of wanted) await fetchOne(f);

    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const weights = await weightFiles(req.model, config, dtype);
    const absent = weights.filter((f) => !files.has(f));
    if (weights.length === 0 || absent.length > 0) {
      const other = dtype === 'q8' ? '--fp32' : '--quantized';
      throw new ModelFetchError(`${req.model} has no ${absent.join(', ') || 'ONNX weights'} at ${req.revision} (its ONNX files: ${onnx.join(', ') || 'none'}); try ${other}`);
    }
    for (const f of weights) await fetchOne(f);

    const manifest = {
      model: req.model,
      revision: req.revision,
      commit,
      hubUrl: req.hubUrl,
      dtype,
      weights: weights[0],
      files: Object.fromEntries(
        [...done].map(([path, d]) => [path, { size: statSync(join(dir, path)).size, ...(d.kind === 'sha256' ? { sha256: d.hex } : { gitBlobSha1: d.hex }) }]),
      ),
    };
    await writeFile(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(`${manifestPath}.tmp`, manifestPath);
    return { dir, commit, downloaded, present: done.size - downloaded, weights: weights[0]! };
  } finally {
    progress.stop();
    await unlock();
  }
}

export async function runModelFetch(args: string[], ctx: ModelFetchContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        revision: { type: 'string', default: 'main' },
        quantized: { type: 'boolean', default: false },
        fp32: { type: 'boolean', default: false },
        'hub-url': { type: 'string', default: DEFAULT_HUB_URL },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    ctx.stderr.write(`paperboy model fetch: ${(err as Error).message}\n\n${MODEL_FETCH_USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    ctx.stdout.write(MODEL_FETCH_USAGE);
    return 0;
  }
  const usage = (msg: string) => {
    ctx.stderr.write(`paperboy model fetch: ${msg}\n\n${MODEL_FETCH_USAGE}`);
    return 1;
  };
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'name the model to fetch' : 'fetch one model at a time');
  if (values.quantized && values.fp32) return usage('--quantized and --fp32 exclude each other');
  let hubUrl: string;
  try {
    const u = new URL(values['hub-url']);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    hubUrl = u.href.replace(/\/+$/, '');
  } catch {
    return usage(`--hub-url must be an http(s) URL, got "${values['hub-url']}"`);
  }
  const model = positionals[0]!;
  try {
    const out = await fetchModel({ model, revision: values.revision, dtype: values.quantized ? 'q8' : values.fp32 ? 'fp32' : 'auto', hubUrl }, ctx);
    ctx.stdout.write(`${model} at ${out.commit.slice(0, 10)} (${out.weights}) is in ${out.dir}: ${out.downloaded} files downloaded, ${out.present} already here\n`);
    // The check that matters: the directory loads and embeds through the same code as PAPERBOY_EMBEDDER=onnx:.
    try {
      const embedder = await loadOnnxEmbedder(out.dir);
      const [v] = await embedder.embed(['paperboy']);
      ctx.stdout.write(`loaded through @huggingface/transformers: ${v!.length} dimensions, ${embedder.info.pooling} pooling; use it with PAPERBOY_EMBEDDER=onnx:${model}\n`);
    } catch (err) {
      throw new ModelFetchError(`the files are in ${out.dir} but do not load: ${(err as Error).message.split('\n')[0]}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ModelFetchError) {
      ctx.stderr.write(`paperboy model fetch: ${err.message}\n`);
      return 1;
    }
    const code = (err as { code?: string }).code;
    if (code === 'ENOSPC') {
      ctx.stderr.write(`paperboy model fetch: the disk is full (${(err as Error).message}); free some space and run the same command again to resume\n`);
      return 1;
    }
    if (code === 'EACCES' || code === 'EROFS') {
      ctx.stderr.write(`paperboy model fetch: cannot write the model: ${(err as Error).message} (check PAPERBOY_DATA_DIR)\n`);
      return 1;
    }
    throw err;
  }
}
