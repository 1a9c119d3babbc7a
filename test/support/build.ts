import type { ImportItem, PaperRecord } from '../../src/model.js';

let counter = 0;

/** A valid paper record with a fresh new-style id; override any field. */
export function buildPaper(overrides: Partial<PaperRecord> = {}): PaperRecord {
  counter += 1;
  const id = `2401.${String(10000 + counter).padStart(5, '0')}`;
  return {
    id,
    version: 1,
    title: `A study of test paper ${counter}`,
    abstract: `We study things, number ${counter}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.LG', 'stat.ML'],
    publishedAt: '2024-01-02T10:00:00.000Z',
    updatedAt: '2024-01-02T10:00:00.000Z',
    versions: [{ version: 1, submittedAt: '2024-01-02T10:00:00.000Z', size: null }],
    ...overrides,
  };
}

/** A daily-list import item for `date`. */
export function buildDailyItem(date: string, overrides: Partial<PaperRecord> = {}, upvotes = 0): ImportItem {
  return {
    paper: buildPaper(overrides),
    daily: { date, submittedAt: `${date}T08:00:00.000Z`, submitter: null },
    community: { upvotes, numComments: 0 },
  };
}
