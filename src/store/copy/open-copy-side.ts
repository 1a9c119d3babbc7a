// Opens the database an endpoint names as one side of a copy, migrated by its
// own store first. A source must exist; a target SQLite file is created.
import { describeEndpoint } from './copy-endpoint.js';
import type { CopyEndpoint } from './copy-endpoint.js';
import { CopyError } from './copy-error.js';
import type { CopySide } from './copy-side.js';
import { PostgresCopySide } from './postgres-side.js';
import { SqliteCopySide } from './sqlite-side.js';

export async function openCopySide(endpoint: CopyEndpoint, role: 'source' | 'target'): Promise<CopySide> {
  try {
    if (endpoint.backend === 'sqlite') return await SqliteCopySide.open(endpoint.path, { create: role === 'target' });
    return await PostgresCopySide.open(endpoint.url);
  } catch (err) {
    if (err instanceof CopyError) throw err;
    // Connection and file errors name the database by its description: a URL's password stays out of messages.
    throw new CopyError(`cannot open the ${role} ${describeEndpoint(endpoint)}: ${(err as Error).message}`, { cause: err });
  }
}
