import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The data directory cannot be used; the message says why and what to do. */
export class DataDirError extends Error {}

const reasons: Record<string, string> = {
  ENOENT: 'the file system there does not allow it',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOSPC: 'the disk is full',
};

const why = (err: NodeJS.ErrnoException) => `${reasons[err.code ?? ''] ?? err.message} (${err.code ?? 'error'})`;

/**
 * Creates the data directory and its parents, one level at a time, and checks
 * that it is writable. Node's recursive mkdirSync loops forever on some paths
 * (`/proc/x`: mkdir answers ENOENT for a parent that exists), so this walks
 * the path itself and stops at the first error.
 */
export function ensureDataDir(path: string): string {
  const dir = resolve(path);
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      if (!statSync(d).isDirectory()) throw new DataDirError(`PAPERBOY_DATA_DIR ${dir}: ${d} is a file, not a directory`);
      break;
    } catch (err) {
      if (err instanceof DataDirError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw new DataDirError(`PAPERBOY_DATA_DIR ${dir}: cannot use ${d}: ${why(err as NodeJS.ErrnoException)}`);
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new DataDirError(`PAPERBOY_DATA_DIR ${dir}: cannot create ${d}: ${why(err as NodeJS.ErrnoException)}`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new DataDirError(`PAPERBOY_DATA_DIR ${dir}: cannot write there: ${why(err as NodeJS.ErrnoException)}`);
  }
  return dir;
}
