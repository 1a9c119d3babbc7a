import { ConfigError, loadConfig, loadDotEnv } from '../config.js';
import type { Config } from '../config.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { runCompact } from './compact.js';
import { runImport } from './import.js';
import { runIndex } from './index.js';
import { runIngest } from './ingest.js';
import { runServe } from './serve.js';

const USAGE = `Usage: paperboy <command> [options]

Commands:
  serve                         start the web server (loads the demo data into an empty database)
  import FILE... [--format F]   import papers from files (HF daily JSON/JSONL, Kaggle JSONL, arXiv listing JSONL, Atom, OAI-PMH; .gz ok)
  ingest arxiv --category C --since YYYY-MM-DD [--oai]
                                harvest new papers from arXiv
  index [--batch N] [--limit N] compute semantic-search vectors for papers that need them (resumable)
  compact                       merge the keyword index's segments (large imports do it by themselves)
  migrate                       apply database migrations and exit

Configuration comes from environment variables (and .env): PORT, HOST, PAPERBOY_DATA_DIR,
PAPERBOY_BASE_URL, PAPERBOY_DEMO_DATA, PAPERBOY_EMBEDDER, PAPERBOY_VECTOR_INDEX,
PAPERBOY_FTS_EXTENSION. See README.md.
`;

export interface CommandContext {
  config: Config;
  store: Store;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

export async function openStore(config: Config, stderr: NodeJS.WritableStream = process.stderr): Promise<Store> {
  const store = await SqliteStore.open(config.databasePath);
  if (store.extensionWarning !== null) stderr.write(`paperboy: ${store.extensionWarning}\n`);
  await store.migrate();
  return store;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (!['serve', 'import', 'ingest', 'index', 'compact', 'migrate'].includes(command)) {
    process.stderr.write(`paperboy: unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }

  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`paperboy: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let store: Store;
  try {
    store = await openStore(config);
  } catch (err) {
    process.stderr.write(`paperboy: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const ctx: CommandContext = { config, store, stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) };
  try {
    switch (command) {
      case 'serve':
        return await runServe(args, ctx);
      case 'import':
        return await runImport(args, ctx);
      case 'ingest':
        return await runIngest(args, ctx);
      case 'index':
        return await runIndex(args, ctx);
      case 'compact':
        return await runCompact(args, ctx);
      case 'migrate':
        process.stdout.write(`database ${config.databasePath} is up to date\n`);
        return 0;
    }
  } finally {
    if (command !== 'serve') await store.close();
  }
  return 1;
}
