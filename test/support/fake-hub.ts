// A local HTTP server laid out like the Hugging Face Hub, for `paperboy model
// fetch` tests (no test reaches the internet). What it mimics, as the Hub does:
//
//   GET /api/models/{id}/revision/{rev}?blobs=true
//       {sha, siblings: [{rfilename, size, blobId, lfs?: {sha256, size, pointerSize}}]};
//       an unknown model is 401 with X-Error-Code: RepoNotFound, an unknown
//       revision 404 with X-Error-Code: RevisionNotFound
//   GET /{id}/resolve/{rev}/{path}
//       a small file: 200 with ETag "<git blob sha1>" and X-Repo-Commit;
//       an LFS file (*.onnx): 302 to /cdn/{sha256} with X-Linked-Etag
//       "<sha256>" and X-Linked-Size, as the Hub sends to its CDN
//   Range requests (206 with Content-Range; 416 past the end) on both.
//
// Faults for the tests: a connection dropped after N bytes of a file, a file
// served corrupted (the published checksums stay those of the true bytes), a
// file that stalls after N bytes (for a test that kills the downloader).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubRequest {
  method: string;
  path: string;
  range: string | null;
}

interface Blob {
  bytes: Uint8Array;
  sha256: string;
  gitBlobSha1: string;
  lfs: boolean;
}

export interface FakeHub {
  url: string;
  /** Every request, in order. */
  requests: FakeHubRequest[];
  commit: string;
  /** The next download of `path` sends `afterBytes` bytes of its body, then the connection is destroyed. */
  dropOnce(path: string, afterBytes: number): void;
  /** Every download of `path` sends one byte changed (`false`: the true bytes again). */
  corrupt(path: string, on?: boolean): void;
  /** The next download of `path` sends `afterBytes` bytes and then nothing, keeping the connection open. */
  stallOnce(path: string, afterBytes: number): void;
  close(): Promise<void>;
}

const isLfs = (path: string) => path.endsWith('.onnx');

function blobOf(path: string, bytes: Uint8Array): Blob {
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    gitBlobSha1: createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex'),
    lfs: isLfs(path),
  };
}

/** Serves `models` (model id -> relative path -> bytes) at one commit. */
export async function startFakeHub(models: Record<string, Map<string, Uint8Array>>): Promise<FakeHub> {
  const commit = createHash('sha1').update('fake-hub').digest('hex');
  const repos = new Map(Object.entries(models).map(([id, files]) => [id, new Map([...files].map(([p, b]) => [p, blobOf(p, b)]))]));
  const byDigest = new Map<string, { path: string; blob: Blob }>();
  for (const files of repos.values()) for (const [path, blob] of files) if (blob.lfs) byDigest.set(blob.sha256, { path, blob });
  const drops = new Map<string, number>();
  const stalls = new Map<string, number>();
  const corrupted = new Set<string>();
  const requests: FakeHubRequest[] = [];
  const stalled = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** Sends a file's bytes, honouring Range, with the injected faults. */
  const send = (req: IncomingMessage, res: ServerResponse, path: string, blob: Blob, headers: Record<string, string>) => {
    let bytes = blob.bytes;
    if (corrupted.has(path)) {
      bytes = Uint8Array.from(bytes);
      bytes[bytes.length >> 1]! ^= 0xff;
    }
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= bytes.length) {
        res.writeHead(416, { 'content-range': `bytes */${bytes.length}` });
        res.end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    }
    const body = bytes.subarray(start);
    res.writeHead(status, { ...headers, 'accept-ranges': 'bytes', 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    const drop = drops.get(path);
    const stall = stalls.get(path);
    if (drop !== undefined) {
      drops.delete(path);
      res.write(body.subarray(0, drop), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    if (stall !== undefined) {
      stalls.delete(path);
      stalled.add(res);
      res.write(body.subarray(0, stall));
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? 'GET', path, range: req.headers.range ?? null });

    const api = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(path);
    if (api) {
      const files = repos.get(api[1]!);
      if (!files) return json(res, 401, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      if (api[2] !== 'main' && api[2] !== commit) return json(res, 404, { error: 'Revision Not Found' }, { 'x-error-code': 'RevisionNotFound' });
      const blobs = url.searchParams.get('blobs') === 'true';
      const siblings = [...files].map(([rfilename, b]) =>
        blobs
          ? { rfilename, size: b.bytes.byteLength, blobId: b.lfs ? createHash('sha1').update(b.sha256).digest('hex') : b.gitBlobSha1, ...(b.lfs ? { lfs: { sha256: b.sha256, size: b.bytes.byteLength, pointerSize: 134 } } : {}) }
          : { rfilename },
      );
      return json(res, 200, { _id: api[1], id: api[1], modelId: api[1], sha: commit, siblings });
    }

    const resolve = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const files = repos.get(resolve[1]!);
      const blob = files?.get(resolve[3]!);
      if (!files || (resolve[2] !== 'main' && resolve[2] !== commit)) return json(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      if (!blob) return json(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
      if (blob.lfs) {
        res.writeHead(302, {
          location: `/cdn/${blob.sha256}`,
          'x-linked-etag': `"${blob.sha256}"`,
          'x-linked-size': String(blob.bytes.byteLength),
          'x-repo-commit': commit,
        });
        res.end(`Found. Redirecting to /cdn/${blob.sha256}`);
        return;
      }
      return send(req, res, resolve[3]!, blob, { etag: `"${blob.gitBlobSha1}"`, 'x-repo-commit': commit });
    }

    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    const stored = cdn ? byDigest.get(cdn[1]!) : undefined;
    if (stored) return send(req, res, stored.path, stored.blob, { etag: `"${stored.blob.sha256}"` });
    json(res, 404, { error: 'not found' });
  });

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    commit,
    dropOnce: (path, afterBytes) => void drops.set(path, afterBytes),
    corrupt: (path, on = true) => void (on ? corrupted.add(path) : corrupted.delete(path)),
    stallOnce: (path, afterBytes) => void stalls.set(path, afterBytes),
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
