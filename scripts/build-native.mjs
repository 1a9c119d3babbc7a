// Compiles native/paperboy_fts.c, the SQLite extension with paperboy_bm25()
// (see that file for why), into native/build/. Run by `npm install`
// (postinstall). Without a C compiler the build is skipped with a warning:
// Paperboy then ranks with FTS5's own bm25(), the same order, only slower on
// large collections. `--strict` makes a failed build an error (CI uses it).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const strict = process.argv.includes('--strict');
const suffix = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
const out = join(root, 'native', 'build', `paperboy_fts.${suffix}`);

function fail(message) {
  if (strict) {
    console.error(`build-native: ${message}`);
    process.exit(1);
  }
  console.warn(`build-native: ${message}; keyword search will use FTS5's bm25(), slower on large collections.`);
  process.exit(0);
}

if (process.platform === 'win32') fail('building on Windows is not supported');
let include;
try {
  include = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
} catch {
  fail('better-sqlite3 is not installed');
}
const cc = process.env.CC ?? 'cc';
const flags = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
try {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(cc, ['-O2', '-fPIC', ...flags, '-I', include, join(root, 'native', 'paperboy_fts.c'), '-o', out, '-lm'], { stdio: 'inherit' });
  console.log(`build-native: built ${out}`);
} catch (err) {
  fail(`${cc} failed (${err.message.split('\n')[0]})`);
}
