import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaperDetail } from '../../model.js';
import { paperPage } from './paper-page.js';

const paper: PaperDetail = {
  id: 'hep-th/9901001',
  version: 2,
  title: 'Entropy of $\\mathcal{N}=4$ black holes',
  abstract: 'We compute $S = A/4$ and it costs $5 to print.',
  authors: ['Juan Maldacena', 'Edward Witten', 'Ada Lovelace', 'Alan Turing'],
  categories: ['hep-th', 'gr-qc'],
  publishedAt: '1999-01-01T10:00:00.000Z',
  updatedAt: '1999-03-05T10:00:00.000Z',
  comment: '12 pages, 3 figures',
  journalRef: 'Phys.Rev. D59 (1999) 1234',
  doi: '10.1103/PhysRevD.59.1234',
  githubRepo: 'https://github.com/example/bh',
  githubStars: 1234,
  projectPage: 'https://example.org/bh',
  keywords: ['black holes', 'AdS/CFT'],
  aiSummary: null,
  organization: null,
  upvotes: 7,
  numComments: 1,
  createdAt: '2024-01-01T00:00:00.000Z',
  modifiedAt: '2024-01-01T00:00:00.000Z',
  versions: [
    { version: 1, submittedAt: '1999-01-01T10:00:00.000Z', size: '20kb' },
    { version: 2, submittedAt: '1999-03-05T10:00:00.000Z', size: '22kb' },
  ],
  dailyEntries: [{ paperId: 'hep-th/9901001', date: '2024-05-27', submittedAt: null, submitter: 'alice' }],
};

test('the paper page shows every field, links and the daily lists', () => {
  const out = paperPage(paper);
  for (const needle of [
    '<h1 class="paper-title">Entropy of <span class="katex">',
    'Juan Maldacena, Edward Witten, Ada Lovelace, Alan Turing <span class="nowrap">(4 authors)</span>',
    'Published on <time datetime="1999-01-01">Jan 1, 1999</time> · updated <time datetime="1999-03-05">Mar 5, 1999</time>',
    'href="https://arxiv.org/abs/hep-th/9901001"',
    'href="https://arxiv.org/pdf/hep-th/9901001"',
    '<a href="https://doi.org/10.1103/PhysRevD.59.1234">10.1103/PhysRevD.59.1234</a>',
    '<dt>Journal reference</dt><dd>Phys.Rev. D59 (1999) 1234</dd>',
    '<dt>Comment</dt><dd>12 pages, 3 figures</dd>',
    '<li class="chip">black holes</li><li class="chip">AdS/CFT</li>',
    '<li class="chip chip-primary">hep-th <span class="chip-note">primary</span></li><li class="chip">gr-qc</li>',
    '<a href="https://github.com/example/bh">example/bh</a> · ★ 1,234',
    '<a class="button" href="https://example.org/bh">Project page</a>',
    '<a href="https://arxiv.org/abs/hep-th/9901001v1">v1</a> · <time datetime="1999-01-01">Jan 1, 1999</time> · 20kb',
    '<a href="https://arxiv.org/abs/hep-th/9901001v2">v2</a>',
    '<a href="/papers/date/2024-05-27"><time datetime="2024-05-27">May 27, 2024</time></a> · submitted by alice',
    '<span class="vote-count">7</span> upvotes',
    '1 comment',
    'and it costs $5 to print.',
    '<link rel="canonical" href="/papers/hep-th/9901001">',
  ]) {
    assert.ok(out.includes(needle), needle);
  }
  assert.equal(out.split('<h1').length - 1, 1);
});

test('missing optional fields leave no empty sections', () => {
  const bare = paperPage({ ...paper, doi: null, journalRef: null, comment: null, keywords: [], githubRepo: null, projectPage: null, versions: [], dailyEntries: [], categories: [] });
  for (const absent of ['DOI', 'Journal reference', 'Versions', 'On the daily list', 'Code repository', 'Project page', 'Categories']) {
    assert.ok(!bare.includes(absent), absent);
  }
});
