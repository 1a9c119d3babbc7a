import { ConfigError, loadConfig, loadDotEnv } from '../config.js';
import type { Config } from '../config.js';
import { DataDirError } from '../data-dir.js';
import { databaseName } from '../database-url.js';
import { DatabaseBusyError, DatabaseDamagedError } from '../errors.js';
import { EmbedderSetupError } from '../search/embedder-config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { ListenError } from '../web/server.js';
import { runCompact } from './compact.js';
import { runCopy } from './copy.js';
import { runImport } from './import.js';
import { runIndex } from './index.js';
import { runIngest } from './ingest.js';
import { runModel } from './model.js';
import { runRepair } from './repair.js';
import { runServe, runServeProcesses } from './serve.js';
import { isServingWorker } from './serve-cluster.js';
import { StartupError } from './startup-error.js';

const USAGE = `Usage: paperboy <command> [options]

Commands:
  serve                         start the web server (loads the demo data into an empty database)
  import FILE... [--format F]   import papers from files (HF daily JSON/JSONL, Kaggle JSONL, arXiv listing JSONL, Atom, OAI-PMH; .gz ok)
  ingest arxiv --category C --since YYYY-MM-DD [--oai]
                                harvest new papers from arXiv
  index [--batch N] [--limit N] compute semantic-search vectors for papers that need them (resumable)
  compact                       merge the keyword index's segments (large imports do it by themselves)
  repair [--force]              salvage a damaged database file into a new one (the damaged one is kept)
  model train [--dimensions N] [--sample N] [--seed N]
                                learn the search model from the stored papers, embed them, switch to it
  model info                    show the current search model
  model fetch MODEL [--revision R] [--quantized|--fp32] [--hub-url URL]
                                download a sentence-transformer (ONNX) from the Hugging Face Hub into the data dir
  migrate                       apply database migrations and exit
  copy --from SOURCE --to TARGET [--batch N]
                                copy an instance between sqlite:PATH and postgres://... (resumable, verified)

Configuration comes from environment variables (and .env): PORT, HOST, PAPERBOY_DATA_DIR,
PAPERBOY_BASE_URL, PAPERBOY_DEMO_DATA, PAPERBOY_EMBEDDER, PAPERBOY_VECTOR_INDEX,
PAPERBOY_FTS_EXTENSION, PAPERBOY_ARXIV_MAX_RESPONSE_MB. See README.md.
`;

const COMMANDS = ['serve', 'import', 'ingest', 'index', 'compact', 'repair', 'model', 'migrate', 'copy'] as const;
type Command = (typeof COMMANDS)[number];

export interface CommandContext {
  config: Config;
  store: Store;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

/**
 * Opens the configured store and applies migrations. `serve` also checks the
 * file for damage first, and waits for locks without holding its event loop.
 */
export async function openConfiguredStore(config: Config, stderr: NodeJS.WritableStream = process.stderr, opts: { serving?: boolean } = {}): Promise<Store> {
  const store = await openStore(config, {
    onWarning: (message) => stderr.write(`paperboy: ${message}\n`),
    busyTimeoutMs: opts.serving ? 50 : undefined,
    lockWait: { maxWaitMs: 10 * 60_000, onLongWait: () => stderr.write('paperboy: waiting for another process to finish writing to the database...\n') },
  });
  try {
    if (opts.serving) await store.checkHealth();
    await store.migrate();
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Errors an operator can act on are one line; anything else is a bug and keeps its stack. */
function explain(err: unknown): string | null {
  const known = [ConfigError, StartupError, DataDirError, DatabaseDamagedError, DatabaseBusyError, ListenError, EmbedderSetupError];
  if (known.some((k) => err instanceof k)) return (err as Error).message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN')) return `cannot open the database: ${(err as Error).message} (check PAPERBOY_DATA_DIR)`;
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) return `the database is read-only: ${(err as Error).message} (check PAPERBOY_DATA_DIR's permissions)`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'the disk is full';
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    process.stderr.write(`paperboy: unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  try {
    return await run(command as Command, args);
  } catch (err) {
    const line = explain(err);
    if (line === null) throw err;
    process.stderr.write(`paperboy: ${line}\n`);
    return 1;
  }
}

async function run(command: Command, args: string[]): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  // Repair reads the damaged file itself; opening it as a store would fail on the damage.
  if (command === 'repair') return runRepair(args, { config, stdout: process.stdout, stderr: process.stderr });
  // Copy opens the two databases it is given, not the configured one.
  if (command === 'copy') return runCopy(args, { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
  // Model subcommands open the store only if they need it.
  if (command === 'model') {
    return runModel(args, { config, stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY), openStore: () => openConfiguredStore(config, process.stderr) });
  }
  if (command === 'serve' && config.webProcesses > 1 && !isServingWorker()) return runServeProcesses(config, () => openConfiguredStore(config, process.stderr, { serving: true }));
  const store = await openConfiguredStore(config, process.stderr, { serving: command === 'serve' });
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
        process.stdout.write(`database ${databaseName(config.database)} is up to date\n`);
        return 0;
    }
  } finally {
    await store.close();
  }
}
