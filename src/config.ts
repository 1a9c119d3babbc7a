import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseDatabaseUrl, type DatabaseConfig } from './database-url.js';
import { EmbedderSetupError, parseEmbedderSpec, parseVectorIndexKind } from './search/embedder-config.js';
import type { EmbedderSpec, VectorIndexKind } from './search/embedder-config.js';
import { LOG_LEVELS } from './ops/logger.js';
import type { LogLevel } from './ops/logger.js';
import { extensionSetting } from './store/sqlite/fts-extension.js';
import type { ExtensionSetting } from './store/sqlite/fts-extension.js';

// An empty value is a mistake to report, not a zero: `PORT=` would otherwise listen on a random port.
const port = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'must be a port number from 0 to 65535 (0 picks a free one)' })
  .transform(Number)
  .refine((n) => n <= 65535, { error: 'must be a port number from 0 to 65535 (0 picks a free one)' });

/** An IP address, or a host name; "999.1.1.1" is neither. */
const host = z
  .string()
  .min(1)
  .refine((h) => isIP(h) !== 0 || (!/^[\d.]+$/.test(h) && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(h) && h.length <= 253), {
    error: 'must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::) or a host name',
  });

const schema = z.object({
  PORT: port.default(3000),
  HOST: host.default('127.0.0.1'),
  PAPERBOY_DATA_DIR: z.string().min(1).default('./data'),
  PAPERBOY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAPERBOY_DEMO_DATA: z.string().min(1).default('demo/hf-daily-papers.jsonl.gz'),
  PAPERBOY_LOG_REQUESTS: z.enum(['0', '1', 'true', 'false']).default('0'),
  PAPERBOY_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  // A response is decoded into one string (V8 caps those at 512 Mi characters) and parsed at several times its size.
  PAPERBOY_INDEX_INTERVAL_S: z.coerce.number().int().min(1).max(86_400).default(60),
  PAPERBOY_ARXIV_MAX_RESPONSE_MB: z.coerce.number().int().min(1).max(256).default(64),
  PAPERBOY_ARXIV_DELAY_MS: z
    .string()
    .refine((v) => /^\d+$/.test(v.trim()) && Number(v) <= Number.MAX_SAFE_INTEGER, { error: `must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}` })
    .transform(Number)
    .default(3000),
  PAPERBOY_MODEL_RETRAIN_SHARE: z.coerce.number().min(0.01).max(100).default(0.25),
  PAPERBOY_LEASE_TTL_S: z.coerce.number().min(1).max(3_600).default(30),
  PAPERBOY_WEB_PROCESSES: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be a whole number of processes from 1 to 64' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 64, { error: 'must be a whole number of processes from 1 to 64' })
    .default(1),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absolute base URL for links in feeds, without a trailing slash. */
  baseUrl: string;
  /** PAPERBOY_BASE_URL is unset: the base URL follows the address the server listens on (which PORT=0 only knows then). */
  baseUrlFromAddress: boolean;
  /** The SQLite file in the data dir (PAPERBOY_DATA_DIR/paperboy.db): the database unless DATABASE_URL names another. */
  databasePath: string;
  /** The database the store opens (DATABASE_URL; unset: the SQLite file databasePath). */
  database: DatabaseConfig;
  /** File loaded on the first start when the database is empty; null when switched off ("off"). */
  demoDataPath: string | null;
  /** One log line per HTTP request (PAPERBOY_LOG_REQUESTS). */
  logRequests: boolean;
  /** The least severe log lines written (PAPERBOY_LOG_LEVEL). */
  logLevel: LogLevel;
  /** Largest arXiv response the harvester reads, in bytes (PAPERBOY_ARXIV_MAX_RESPONSE_MB is in MiB). */
  arxivMaxResponseBytes: number;
  /** The least time between two requests to arXiv (PAPERBOY_ARXIV_DELAY_MS). */
  arxivDelayMs: number;
  /** How often `serve` looks for papers written by other processes that need a vector (PAPERBOY_INDEX_INTERVAL_S). */
  indexIntervalMs: number;
  /** Learned models: retrain once the collection has grown by this share since the current model (PAPERBOY_MODEL_RETRAIN_SHARE). */
  modelRetrainShare: number;
  /**
   * Background indexing runs in the one serving process holding its lease;
   * another takes over within ttlMs when the holder dies (PAPERBOY_LEASE_TTL_S).
   */
  indexingLease: { ttlMs: number };
  /** `serve` runs this many serving processes on one port (PAPERBOY_WEB_PROCESSES; SQLite only). */
  webProcesses: number;
  /** The sentence-embedding model for semantic search (PAPERBOY_EMBEDDER). */
  embedder: EmbedderSpec;
  /** How vectors are searched (PAPERBOY_VECTOR_INDEX). */
  vectorIndex: VectorIndexKind;
  /** The SQLite keyword-ranking extension (PAPERBOY_FTS_EXTENSION). */
  ftsExtension: ExtensionSetting;
}

export class ConfigError extends Error {}

/** The data dir, for settings read before the whole environment is validated (an empty value is reported by the schema). */
const dataDirOf = (env: NodeJS.ProcessEnv) => resolve(env.PAPERBOY_DATA_DIR || './data');

/** Read and validate configuration once at start-up. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
  const search = parseSearchSettings(env, lines);
  const sqlitePath = join(dataDirOf(env), 'paperboy.db');
  let database: DatabaseConfig | null = null;
  try {
    database = parseDatabaseUrl(env.DATABASE_URL, sqlitePath);
  } catch (err) {
    lines.push((err as Error).message);
  }
  if (!parsed.success || !search || !database) {
    throw new ConfigError(lines.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.PAPERBOY_DATA_DIR);
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    baseUrl: (e.PAPERBOY_BASE_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, ''),
    baseUrlFromAddress: e.PAPERBOY_BASE_URL === undefined,
    databasePath: join(dataDir, 'paperboy.db'),
    database,
    demoDataPath: e.PAPERBOY_DEMO_DATA === 'off' ? null : resolve(e.PAPERBOY_DEMO_DATA),
    logRequests: e.PAPERBOY_LOG_REQUESTS === '1' || e.PAPERBOY_LOG_REQUESTS === 'true',
    logLevel: e.PAPERBOY_LOG_LEVEL,
    arxivMaxResponseBytes: e.PAPERBOY_ARXIV_MAX_RESPONSE_MB * 1024 * 1024,
    arxivDelayMs: e.PAPERBOY_ARXIV_DELAY_MS,
    indexIntervalMs: e.PAPERBOY_INDEX_INTERVAL_S * 1000,
    indexingLease: { ttlMs: e.PAPERBOY_LEASE_TTL_S * 1000 },
    webProcesses: e.PAPERBOY_WEB_PROCESSES,
    modelRetrainShare: e.PAPERBOY_MODEL_RETRAIN_SHARE,
    ...search,
  };
}

/** The search settings, or null with the problems added to `lines`. */
function parseSearchSettings(env: NodeJS.ProcessEnv, lines: string[]): Pick<Config, 'embedder' | 'vectorIndex' | 'ftsExtension'> | null {
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof EmbedderSetupError)) throw err;
      lines.push(err.message.replace(/^(\w+): /, '$1 '));
      return null;
    }
  };
  const embedder = attempt(() => parseEmbedderSpec(env.PAPERBOY_EMBEDDER, dataDirOf(env)));
  const vectorIndex = attempt(() => parseVectorIndexKind(env.PAPERBOY_VECTOR_INDEX));
  if (embedder === null || vectorIndex === null) return null;
  return { embedder, vectorIndex, ftsExtension: extensionSetting(env) };
}

/**
 * The embedder settings alone, for a command run without loadConfig (tests
 * of one command); throws EmbedderSetupError naming PAPERBOY_EMBEDDER.
 */
export function embedderSettings(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'embedder' | 'dataDir'> {
  const dataDir = dataDirOf(env);
  return { embedder: parseEmbedderSpec(env.PAPERBOY_EMBEDDER, dataDir), dataDir };
}

/** Load `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
