// LISTEN for the change notices writers send on commit (change-log.ts), on a
// dedicated connection: a pooled one would be handed to other queries.
import pg from 'pg';
import { CHANGE_CHANNEL } from './change-log.js';
import type { ChangeCounter } from './change-log.js';

export interface ChangeNotice {
  counter: ChangeCounter;
  /** The highest number the committing transaction took: everything up to it is now visible. */
  last: number;
}

export function parseChangeNotice(payload: string | undefined): ChangeNotice | null {
  const m = /^(papers|embeddings):(\d+)$/.exec(payload ?? '');
  return m ? { counter: m[1] as ChangeCounter, last: Number(m[2]) } : null;
}

/**
 * Calls `onChange` for each committed write. Notices are a wake-up call, not
 * the data: a reader still reads the log after its last seq, and should also
 * poll now and then, since notices sent while it was disconnected are lost.
 */
export class ChangeListener {
  private constructor(private readonly client: pg.Client) {}

  static async start(connectionString: string, onChange: (notice: ChangeNotice) => void, onError: (err: Error) => void = () => {}): Promise<ChangeListener> {
    const client = new pg.Client({ connectionString });
    client.on('error', onError);
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGE_CHANNEL) return;
      const notice = parseChangeNotice(msg.payload);
      if (notice) onChange(notice);
    });
    await client.connect();
    try {
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      await client.end();
      throw err;
    }
    return new ChangeListener(client);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
