import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Paper } from '../../model.js';
import { paperCard } from './paper-card.js';

const base: Paper = {
  id: '2405.15738',
  version: 1,
  title: 'Scaling $\\alpha$-experts to\n  1,000 GPUs',
  abstract: 'Short abstract.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.LG', 'cs.AI'],
  publishedAt: null,
  updatedAt: null,
  comment: null,
  journalRef: null,
  doi: null,
  githubRepo: 'https://github.com/alibaba/conv-llava',
  githubStars: 1234,
  projectPage: null,
  keywords: [],
  aiSummary: null,
  organization: null,
  upvotes: 1,
  numComments: 0,
  createdAt: '2024-01-01T00:00:00.000Z',
  modifiedAt: '2024-01-01T00:00:00.000Z',
};

test('a card links the code with its stars, renders title math and links the primary category', () => {
  const card = paperCard(base, { categoryHref: (c) => `/?category=${c}` }).value;
  assert.ok(card.startsWith('<article class="paper-card" data-paper-id="2405.15738">'));
  assert.ok(card.includes('<h2><a href="/papers/2405.15738">Scaling <span class="katex">'), 'title math rendered, whitespace collapsed');
  assert.ok(card.includes('Ada Lovelace, Alan Turing · <span class="nowrap">2 authors</span></p>'), 'no date when unknown');
  assert.ok(card.includes('<a href="https://github.com/alibaba/conv-llava">Code</a> <span class="stars">★ 1,234</span>'));
  assert.ok(card.includes('<a class="chip" href="/?category=cs.LG">cs.LG</a>'));
  assert.ok(card.includes('0 comments') && card.includes('<b>1</b> upvote</p>'));
  assert.ok(card.includes('<p class="summary">Short abstract.</p>'));
});

test('a card without a repository or stars has no code link', () => {
  assert.ok(!paperCard({ ...base, githubRepo: null }).value.includes('Code'));
  const noStars = paperCard({ ...base, githubStars: null }).value;
  assert.ok(noStars.includes('>Code</a>') && !noStars.includes('★'));
  assert.ok(paperCard({ ...base, categories: [] }).value.includes('0 comments · <a href="https://github.com'), 'no chip');
});
