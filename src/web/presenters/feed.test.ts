import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import type { DailyListItem } from '../../model.js';
import { renderDailyFeed, xmlSafe } from './feed.js';
import type { FeedChannel } from './feed.js';

const channel: FeedChannel = {
  title: 'T',
  description: 'D',
  siteUrl: 'https://p.example/',
  selfUrl: { rss: 'https://p.example/feed.xml?category=cs&exclude=cs.AI', atom: 'https://p.example/feed.atom?category=cs&exclude=cs.AI' },
  paperUrl: (id) => `https://p.example/papers/${id}`,
};

function item(authors: string[], title = 'Bad\u0000chars\uFFFE here'): DailyListItem {
  const paper = {
    id: 'hep-ex/0001001', version: 1, title, abstract: 'A', authors, categories: ['hep-ex'], publishedAt: null, updatedAt: null,
    comment: null, journalRef: null, doi: null, githubRepo: null, githubStars: null, projectPage: null, keywords: [], aiSummary: null,
    organization: null, upvotes: 0, numComments: 0, createdAt: '', modifiedAt: '',
  };
  return { paper, entry: { paperId: paper.id, date: '2001-01-02', submittedAt: null, submitter: null } };
}

test('xmlSafe drops characters XML 1.0 forbids and keeps the rest', () => {
  assert.equal(xmlSafe('a\u0000b\u0008c\td\ne\uFFFFf \u{1F600} \uD800x'), 'abc\td\nef \u{1F600} x');
});

test('forbidden characters and huge author lists still make valid, bounded feeds', () => {
  const many = Array.from({ length: 3000 }, (_, i) => `Author ${i}`);
  for (const format of ['rss', 'atom'] as const) {
    const text = renderDailyFeed([item(many)], format, channel);
    assert.equal(XMLValidator.validate(text), true, format);
    assert.ok(text.length < 20_000, `${format} is ${text.length} chars`);
  }
  const atom = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(renderDailyFeed([item(many)], 'atom', channel));
  assert.equal(atom.feed.entry.author.length, 51);
  assert.equal(atom.feed.entry.author[50].name, 'et al.');
  assert.equal(atom.feed.entry.id, 'https://p.example/papers/hep-ex/0001001#daily-2001-01-02');
  assert.equal(atom.feed.entry.updated, '2001-01-02T00:00:00.000Z');
  assert.equal(atom.feed.id, channel.selfUrl.atom);
});

test('RSS and Atom carry a hostile title as the same HTML-escaped text', async () => {
  const hostile = '<img src=x onerror=alert(1)> & "quotes" ]]> <b>bold</b>';
  const [rss, atom] = await Promise.all(
    (['rss', 'atom'] as const).map(async (format) => (await new Parser().parseString(renderDailyFeed([item(['A. Author'], hostile)], format, channel))).items[0]?.title),
  );
  assert.equal(rss, '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; ]]&gt; &lt;b&gt;bold&lt;/b&gt;');
  assert.equal(atom, rss, 'both formats say the same');
});
