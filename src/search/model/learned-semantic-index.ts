// The semantic index `serve` uses with learned models: the index of the
// current model (current-model.ts), swapped for the next one in one step.
// A new model is loaded beside the serving one (its file, then its vectors)
// while queries keep using the old; then a single assignment switches every
// later query to the new model's vectors, its query embedder and its
// calibration together. Until a model exists, or while the first one is
// still loading (a million papers' vector graph takes minutes to build the
// first time), it finds nothing and search is by keywords only.
import type { RankedIds, Store } from '../../store/store.js';
import { openSemanticIndex, type SemanticIndexOptions, type VectorSemanticIndex } from '../semantic-index.js';
import type { SearchCalibration, SemanticIndex } from '../types.js';
import { loadModelById, readCurrentModelId } from './current-model.js';
import { LearnedEmbedder } from './learned-embedder.js';

interface Serving {
  embedder: LearnedEmbedder;
  index: VectorSemanticIndex;
}

const NONE: RankedIds = { ids: [], scores: [] };
/** Share of a query's stems the model must know to compare it by meaning. */
export const MIN_KNOWN_SHARE = 0.75;
/** How long open() waits for the first model to load before it returns and lets it finish in the background. */
export const OPEN_WAIT_MS = 10_000;

export class LearnedSemanticIndex implements SemanticIndex {
  private serving: Serving | null = null;
  private switching: Promise<boolean> | null = null;

  private constructor(
    private readonly store: Store,
    private readonly dataDir: string,
    private readonly opts: SemanticIndexOptions,
  ) {}

  /**
   * Opens the current model's index (none when no model was trained yet).
   * A model that takes longer than `waitMs` to load keeps loading in the
   * background (`loading`), so that a server can answer by keywords
   * meanwhile; a failure there leaves no model, and the next
   * followCurrentModel() tries again.
   */
  static async open(store: Store, dataDir: string, opts: SemanticIndexOptions & { waitMs?: number } = {}): Promise<LearnedSemanticIndex> {
    const { waitMs = OPEN_WAIT_MS, ...indexOpts } = opts;
    const index = new LearnedSemanticIndex(store, dataDir, indexOpts);
    const first = index.followCurrentModel();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => (timer = setTimeout(() => resolve('waited'), waitMs)));
    try {
      if ((await Promise.race([first, waited])) === 'waited') first.catch((err: unknown) => indexOpts.onError?.(err));
    } finally {
      clearTimeout(timer);
    }
    return index;
  }

  /** Whether a model is being loaded while none serves yet (a later switch keeps the old one serving meanwhile). */
  get loading(): boolean {
    return this.switching !== null && this.serving === null;
  }

  get embedderId(): string {
    return this.serving?.embedder.id ?? 'learned-none';
  }

  /** The serving model's calibration, null before any. */
  get calibration(): SearchCalibration | null {
    return this.serving?.embedder.model.info.calibration ?? null;
  }

  get modelId(): string | null {
    return this.serving?.embedder.id ?? null;
  }

  size(): number {
    return this.serving?.index.size() ?? 0;
  }

  /**
   * Switches to the store's current model when it changed; resolves true when
   * it switched. One switch at a time; a failed load leaves the old model serving.
   */
  followCurrentModel(): Promise<boolean> {
    this.switching ??= this.switchIfChanged().finally(() => {
      this.switching = null;
    });
    return this.switching;
  }

  private async switchIfChanged(): Promise<boolean> {
    const id = await readCurrentModelId(this.store);
    if (id === null || id === this.serving?.embedder.id) return false;
    const embedder = new LearnedEmbedder(await loadModelById(this.store, this.dataDir, id));
    const index = await openSemanticIndex(this.store, embedder, this.opts);
    const old = this.serving;
    this.serving = { embedder, index };
    await old?.index.close();
    return true;
  }

  async searchText(text: string, k: number): Promise<RankedIds> {
    const serving = this.serving;
    if (serving === null) return NONE;
    // The model can vouch only for words it knows: a query mostly of other words ("asdkjhqwezzz",
    // or a subject the collection never mentions) gets no neighbours by meaning. Measured on the
    // meaning set's dev half: no paraphrase lost, off-topic queries' joins cut from 148 to 96.
    if (serving.embedder.knownShare(text) < MIN_KNOWN_SHARE) return NONE;
    return serving.index.searchText(text, k);
  }

  similarTo(paperId: string, k: number): Promise<RankedIds> {
    return this.serving === null ? Promise.resolve(NONE) : this.serving.index.similarTo(paperId, k);
  }

  async close(): Promise<void> {
    await this.switching?.catch(() => undefined);
    await this.serving?.index.close();
  }
}
