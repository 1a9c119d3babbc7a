/** One `GET /api/papers/search` item: Hugging Face answers searches with daily-list items, so this is that shape. */
import type { DailyEntry, Paper } from '../../model.js';
import { presentItem } from './daily-item.js';
import type { DailyItemJson } from './daily-item.js';

/** `entry`: the paper's first daily-list entry; a paper never listed has no submitter or daily date. */
export function presentSearchItem(paper: Paper, entry: DailyEntry | null): DailyItemJson {
  return presentItem(paper, entry);
}
