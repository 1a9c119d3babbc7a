// Seeded sampling of a store's papers, for training and calibrating models.
import type { Store } from '../../store/store.js';

const PAGE = 2000;

export interface SampledPaper {
  id: string;
  title: string;
  abstract: string;
}

/**
 * A uniform sample of at most `size` papers of the whole collection (reservoir
 * sampling while paging through it in id order), and how many there are. The
 * same store and seed give the same sample.
 */
export async function samplePapers(store: Store, size: number, random: () => number): Promise<{ papers: SampledPaper[]; total: number }> {
  const reservoir: SampledPaper[] = [];
  let seen = 0;
  let cursor: string | null = null;
  do {
    const page = await store.listPapers({ cursor, limit: PAGE });
    for (const p of page.items) {
      const paper = { id: p.id, title: p.title, abstract: p.abstract };
      if (reservoir.length < size) reservoir.push(paper);
      else {
        const j = Math.floor(random() * (seen + 1));
        if (j < size) reservoir[j] = paper;
      }
      seen++;
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { papers: reservoir, total: seen };
}
