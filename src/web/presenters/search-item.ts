/** One `GET /api/papers/search` item: Hugging Face answers searches with daily-list items, so this is that shape. */
import type { DailyEntry, Paper } from '../../model.js';
import { presentDailyItem } from './daily-item.js';
import type { DailyItemJson } from './daily-item.js';
import { isoTime } from './ids.js';
import { compact, presentOrganization, presentPaper } from './paper.js';

/** `entry`: the paper's first daily-list entry; a paper never listed has no submitter or daily date. */
export function presentSearchItem(paper: Paper, entry: DailyEntry | null): DailyItemJson {
  if (entry) return presentDailyItem({ paper, entry });
  return compact<DailyItemJson>({
    paper: presentPaper(paper, null),
    publishedAt: paper.publishedAt ? isoTime(paper.publishedAt) : undefined,
    title: paper.title,
    summary: paper.abstract,
    thumbnail: null,
    numComments: paper.numComments,
    organization: presentOrganization(paper.organization),
    isAuthorParticipating: false,
  });
}
