// TEST ONLY. How many vectors a data dir's SQLite database holds, read on a connection of its own.
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function embeddingsIn(dataDir: string): number {
  const db = new Database(join(dataDir, 'paperboy.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM paper_embeddings').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
