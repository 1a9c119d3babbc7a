// Node 20's test runner neither expands globs nor finds .ts files: list them here.
// Usage: node scripts/run-tests.mjs [--unit | --e2e] [extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'fixtures') out.push(...findTests(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
const extra = args.filter((a) => a !== '--unit' && a !== '--e2e');
const all = [...findTests('src'), ...findTests('test'), ...findTests('bench')].sort();
const isE2e = (f) => f.startsWith(join('test', 'e2e'));
const files = all.filter((f) => (only === 'all' ? true : only === 'e2e' ? isE2e(f) : !isE2e(f)));

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...extra, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
