/**
 * paperboy repair [--force]
 * Exit code: 0 repaired or nothing to repair, 2 repaired with rows lost, 1 error.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { databaseName } from '../database-url.js';
import { repairSqlite } from '../store/sqlite/sqlite-repair.js';

const USAGE = `Usage: paperboy repair [--force]

Checks the database file (PRAGMA quick_check) and, when it is damaged, copies
every readable row into a new file that takes its place; the damaged file is
kept beside it as paperboy.db.damaged-<time>. Rows on damaged pages are lost
and counted: import your source files again to restore them (imports merge,
nothing doubles). Stop every Paperboy process using the database first.
  --force   rebuild the file even when no damage is found
`;

export async function runRepair(args: string[], ctx: { config: Config; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  let force = false;
  try {
    const { values } = parseArgs({ args, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
    force = values.force === true;
  } catch (err) {
    ctx.stderr.write(`paperboy repair: ${(err as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (ctx.config.database.backend !== 'sqlite') {
    ctx.stderr.write(`paperboy repair: repairs the SQLite file; DATABASE_URL names ${databaseName(ctx.config.database)}, whose own tools check and repair it\n`);
    return 1;
  }
  const path = ctx.config.database.path;
  const report = repairSqlite(path, { force });
  if (report.damagedCopy === null) {
    ctx.stdout.write(`${path}: no damage found; nothing to repair (--force rebuilds it anyway)\n`);
    return 0;
  }
  if (report.problems.length > 0) ctx.stdout.write(`${path} was damaged: ${report.problems.slice(0, 3).join('; ')}\n`);
  for (const t of report.tables) ctx.stdout.write(`  ${t.table}: ${t.copied} rows copied${t.lost > 0 ? `, ${t.lost} lost` : ''}\n`);
  ctx.stdout.write(`Repaired. The damaged file is kept as ${report.damagedCopy}.\n`);
  const lost = report.tables.reduce((n, t) => n + t.lost, 0);
  if (lost > 0) ctx.stdout.write('Some rows were lost: import your source files again (paperboy import FILE...) to restore them.\n');
  return lost > 0 ? 2 : 0;
}
