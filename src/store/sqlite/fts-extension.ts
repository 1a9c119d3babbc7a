// Loads native/build/paperboy_fts.{so,dylib} (built by scripts/build-native.mjs
// at install) into a connection, for paperboy_bm25(). Without it keyword
// search ranks with FTS5's bm25(): the same order, slower on large collections.
//
// PAPERBOY_FTS_EXTENSION=off never loads it; =<path> loads that file (read by config.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

export function defaultExtensionPath(): string {
  const suffix = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
  return fileURLToPath(new URL(`../../../native/build/paperboy_fts.${suffix}`, import.meta.url));
}

export type ExtensionSetting = 'off' | { path: string; required: boolean };

/** The setting PAPERBOY_FTS_EXTENSION in `env` names. */
export function extensionSetting(env: NodeJS.ProcessEnv): ExtensionSetting {
  const v = env.PAPERBOY_FTS_EXTENSION?.trim();
  if (v === 'off') return 'off';
  if (v) return { path: v, required: true };
  return { path: defaultExtensionPath(), required: false };
}

export interface ExtensionLoad {
  loaded: boolean;
  /** Why a file that exists did not load (the store then ranks with bm25()). */
  warning: string | null;
}

/**
 * Loads the extension when it is built and not switched off. A file named in
 * PAPERBOY_FTS_EXTENSION must load; the default one may fail with a warning.
 */
export function loadFtsExtension(db: Database.Database, setting: ExtensionSetting = extensionSetting({})): ExtensionLoad {
  if (setting === 'off') return { loaded: false, warning: null };
  if (!setting.required && !existsSync(setting.path)) return { loaded: false, warning: null };
  try {
    // SQLite derives the entry point from the file name: paperboy_fts.so -> sqlite3_paperboyfts_init.
    db.loadExtension(setting.path);
    return { loaded: true, warning: null };
  } catch (err) {
    const message = `cannot load the SQLite extension ${setting.path}: ${(err as Error).message}`;
    if (setting.required) throw new Error(`${message} (PAPERBOY_FTS_EXTENSION=off runs without it)`, { cause: err });
    return { loaded: false, warning: `${message}; keyword search falls back to bm25()` };
  }
}
