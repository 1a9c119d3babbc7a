import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PAPERBOY_DATA_DIR: z.string().min(1).default('./data'),
  PAPERBOY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAPERBOY_DEMO_DATA: z.string().min(1).default('demo/hf-daily-papers.jsonl.gz'),
  PAPERBOY_LOG_REQUESTS: z.enum(['0', '1', 'true', 'false']).default('0'),
  // A response is decoded into one string (V8 caps those at 512 Mi characters) and parsed at several times its size.
  PAPERBOY_ARXIV_MAX_RESPONSE_MB: z.coerce.number().int().min(1).max(256).default(64),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absolute base URL for links in feeds, without a trailing slash. */
  baseUrl: string;
  databasePath: string;
  /** File loaded on the first start when the database is empty; null when switched off ("off"). */
  demoDataPath: string | null;
  logRequests: boolean;
  /** Largest arXiv response the harvester reads, in bytes (PAPERBOY_ARXIV_MAX_RESPONSE_MB is in MiB). */
  arxivMaxResponseBytes: number;
}

export class ConfigError extends Error {}

/** Read and validate configuration once at start-up. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.PAPERBOY_DATA_DIR);
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    baseUrl: (e.PAPERBOY_BASE_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, ''),
    databasePath: join(dataDir, 'paperboy.db'),
    demoDataPath: e.PAPERBOY_DEMO_DATA === 'off' ? null : resolve(e.PAPERBOY_DEMO_DATA),
    logRequests: e.PAPERBOY_LOG_REQUESTS === '1' || e.PAPERBOY_LOG_REQUESTS === 'true',
    arxivMaxResponseBytes: e.PAPERBOY_ARXIV_MAX_RESPONSE_MB * 1024 * 1024,
  };
}

/** Load `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
