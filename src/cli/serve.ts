import { existsSync } from 'node:fs';
import { importFiles } from '../ingest/import-files.js';
import { startServer } from '../web/server.js';
import { compactAfterLargeLoad } from './compact.js';
import type { CommandContext } from './main.js';
import { setUpSearch } from './search-setup.js';

/** Load the demo data set when the database has no papers yet. */
export async function loadDemoDataIfEmpty(ctx: CommandContext): Promise<void> {
  const { store, config, stdout } = ctx;
  if (!config.demoDataPath || (await store.countPapers()) > 0) return;
  if (!existsSync(config.demoDataPath)) {
    stdout.write(`Demo data ${config.demoDataPath} not found; starting with an empty database.\n`);
    return;
  }
  const started = Date.now();
  stdout.write(`Empty database: loading demo data from ${config.demoDataPath} ...\n`);
  const report = await importFiles(store, [config.demoDataPath]);
  const t = report.total;
  stdout.write(`Loaded ${t.new} papers (${t.updated} updated, ${t.skipped} skipped) in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  await compactAfterLargeLoad(store, t.new + t.updated, (line) => stdout.write(line));
}

export async function runServe(_args: string[], ctx: CommandContext): Promise<number> {
  await loadDemoDataIfEmpty(ctx);
  const search = await setUpSearch(ctx.store, ctx.config, (line) => ctx.stdout.write(`${line}\n`));
  const running = await startServer({ store: ctx.store, config: ctx.config, search: search.search });
  ctx.stdout.write(`Paperboy is serving ${await ctx.store.countPapers()} papers at ${running.url} (public URL ${ctx.config.baseUrl})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  ctx.stdout.write('Shutting down...\n');
  await running.close();
  await search.close();
  await ctx.store.close();
  return 0;
}
