import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DailyEntry, PaperDetail } from '../../model.js';
import { presentDailyItem } from './daily-item.js';
import { syntheticId } from './ids.js';
import { presentPaper, presentPaperDetail } from './paper.js';

const paper: PaperDetail = {
  id: '2405.15738',
  version: 2,
  title: 'ConvLLaVA',
  abstract: 'High-resolution LMMs.',
  authors: ['Chunjiang Ge', 'Sijie Cheng'],
  categories: ['cs.CV'],
  publishedAt: '2024-05-24T17:34:15Z',
  updatedAt: null,
  comment: null,
  journalRef: null,
  doi: null,
  githubRepo: null,
  githubStars: null,
  projectPage: null,
  keywords: [],
  aiSummary: null,
  organization: null,
  upvotes: 32,
  numComments: 3,
  createdAt: '2025-01-01T00:00:00.000Z',
  modifiedAt: '2025-01-01T00:00:00.000Z',
  versions: [{ version: 1, submittedAt: '2024-05-24T17:34:15Z' }],
  dailyEntries: [],
};
const entry: DailyEntry = { paperId: paper.id, date: '2024-05-27', submittedAt: null, submitter: null };

test('Hugging Face fields without a value are omitted; times are written as HF writes them', () => {
  const json = presentPaper(paper, entry);
  assert.deepEqual(Object.keys(json), ['id', 'authors', 'publishedAt', 'submittedOnDailyAt', 'title', 'summary', 'upvotes', 'discussionId']);
  assert.equal(json.publishedAt, '2024-05-24T17:34:15.000Z');
  assert.equal(json.submittedOnDailyAt, '2024-05-27T00:00:00.000Z', 'the list date when the time is unknown');
  const item = presentDailyItem({ paper, entry });
  assert.deepEqual(Object.keys(item), ['paper', 'publishedAt', 'title', 'summary', 'thumbnail', 'numComments', 'isAuthorParticipating']);
});

test('known optional fields appear with HF names; the submitter becomes a user object', () => {
  const full = { ...paper, githubRepo: 'https://github.com/alibaba/conv-llava', githubStars: 7, projectPage: 'https://x.org', keywords: ['LMM'], aiSummary: 'Short.', organization: 'Alibaba' };
  const json = presentPaper(full, { ...entry, submitter: 'ada', submittedAt: '2024-05-27T03:50:58.348Z' });
  assert.equal(json.githubRepo, full.githubRepo);
  assert.equal(json.githubStars, 7);
  assert.deepEqual(json.ai_keywords, ['LMM']);
  assert.equal(json.ai_summary, 'Short.');
  assert.deepEqual(json.organization, { _id: syntheticId('organization', 'Alibaba'), name: 'Alibaba', fullname: 'Alibaba' });
  assert.deepEqual(json.submittedOnDailyBy, { _id: syntheticId('user', 'ada'), fullname: 'ada', user: 'ada', type: 'user', name: 'ada' });
  assert.equal(json.submittedOnDailyAt, '2024-05-27T03:50:58.348Z');
});

test('the flat paper: extras always present, daily fields from the first entry', () => {
  const flat = presentPaperDetail(paper);
  assert.equal(flat.submittedOnDailyAt, undefined);
  assert.deepEqual([flat.categories, flat.comment, flat.journalRef, flat.doi], [['cs.CV'], null, null, null]);
  assert.deepEqual(flat.versions, [{ version: 1, submittedAt: '2024-05-24T17:34:15.000Z', size: null }]);
  const listed = presentPaperDetail({ ...paper, dailyEntries: [{ ...entry, submitter: 'bob' }, { ...entry, date: '2024-06-01' }] });
  assert.equal(listed.submittedOnDailyAt, '2024-05-27T00:00:00.000Z');
  assert.equal(listed.submittedOnDailyBy?.name, 'bob');
});

test('synthetic ids: 24 hex digits, stable, distinct per author position', () => {
  const [a, b] = presentPaper(paper, null).authors;
  assert.match(a?._id ?? '', /^[0-9a-f]{24}$/);
  assert.notEqual(a?._id, b?._id);
  assert.equal(presentPaper(paper, null).authors[0]?._id, a?._id);
  assert.notEqual(presentPaper({ ...paper, id: '2405.15739' }, null).authors[0]?._id, a?._id);
});
