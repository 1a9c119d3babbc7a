// Keeps a process's local search index current in the background, so that a
// write through any process is searchable everywhere within about a second and
// searches rarely pay for catching up: woken by LISTEN/NOTIFY on every commit,
// and polling as a fallback (a notice sent while the listening connection was
// down is lost; one cheap query per poll finds the gap).
import { ChangeListener } from './change-listener.js';
import type { LocalSearchIndex } from './local-search-index.js';

export interface FollowOptions {
  /** How often to look for missed changes (default 1000 ms). */
  pollMs?: number;
  /** Failures to catch up or to listen; following goes on (default: ignored). */
  onError?: (err: Error) => void;
}

export interface SearchIndexFollower {
  stop(): Promise<void>;
}

export async function followChanges(index: LocalSearchIndex, connectionString: string, opts: FollowOptions = {}): Promise<SearchIndexFollower> {
  const onError = opts.onError ?? (() => {});
  const inBackground = (run: () => Promise<void>) => void run().catch(onError);
  let listener: ChangeListener | null = null;
  let connecting = false;
  let stopped = false;

  const listen = async () => {
    if (listener || connecting || stopped) return;
    connecting = true;
    try {
      const started = await ChangeListener.start(
        connectionString,
        (notice) => {
          if (notice.counter === 'papers') inBackground(() => index.catchUp());
        },
        (err) => {
          onError(err);
          if (listener === started) listener = null;
          void started.close().catch(() => {});
        },
      );
      if (stopped) await started.close();
      else listener = started;
    } finally {
      connecting = false;
    }
  };

  await index.catchUp();
  await listen();
  const timer = setInterval(() => {
    inBackground(() => index.catchUpIfBehind());
    inBackground(listen);
  }, opts.pollMs ?? 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      const current = listener as ChangeListener | null;
      listener = null;
      await current?.close().catch(() => {});
    },
  };
}
