import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { highlightMatchers, highlightPaper, markText, snippet, SNIPPET_CHARS } from './highlight.js';
import { parseQuery } from './query-parser.js';

const m = (q: string, prefixLast = false) => highlightMatchers(parseQuery(q), { prefixLast });
const plain = (html: string) => html.replace(/<\/?mark>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

// A real abstract (arXiv 2507.23374, CC0).
const ABSTRACT =
  'With generalization in mind, we present NeRF-GS, a novel framework that jointly optimizes Neural Radiance Fields (NeRF) and 3D Gaussian Splatting (3DGS). ' +
  'This framework leverages the inherent continuous spatial representation of NeRF to mitigate several limitations of 3DGS, including sensitivity to Gaussian ' +
  'initialization, limited spatial awareness, and weak inter-Gaussian correlations, thereby enhancing its performance. In NeRF-GS, we revisit the design of 3DGS ' +
  'and progressively align its spatial features with NeRF, enabling both representations to be optimized within the same scene through shared 3D spatial information.';

describe('markText', () => {
  test('marks words by stem and by prefix, ignoring case and diacritics', () => {
    assert.equal(markText('Networks of networking network', m('network')), '<mark>Networks</mark> of <mark>networking</mark> <mark>network</mark>');
    assert.equal(markText('Diffusion models diffuse', m('diffus*')), '<mark>Diffusion</mark> models <mark>diffuse</mark>');
    assert.equal(markText('Müller and Muller', m('muller')), '<mark>Müller</mark> and <mark>Muller</mark>');
    assert.equal(markText('3D Gaussian Splatting', m('"gaussian splatting"')), '3D <mark>Gaussian</mark> <mark>Splatting</mark>');
  });

  test('does not mark excluded words, field values or unrelated words', () => {
    assert.equal(markText('Gaussian splatting by Smith in cs.CV', m('gaussian -splatting author:Smith cat:cs.CV')), '<mark>Gaussian</mark> splatting by Smith in cs.CV');
    assert.equal(markText('learner learned', m('learning')), 'learner <mark>learned</mark>');
  });

  test('escapes everything: a script title stays text and still gets marks', () => {
    const title = '<script>alert("x")</script> Injected & "quoted" \'title\'';
    const out = markText(title, m('script injected'));
    assert.equal(out, '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; <mark>Injected</mark> &amp; &quot;quoted&quot; &#39;title&#39;');
    assert.ok(!/<(?!\/?mark>)/.test(out), 'no tag but mark');
    assert.equal(markText('<b>bold</b>', []), '&lt;b&gt;bold&lt;/b&gt;');
  });

  test('search-as-you-type marks words the unfinished last word begins', () => {
    assert.equal(markText('Reinforcement Learning', m('reinforcement learnin', true)), '<mark>Reinforcement</mark> <mark>Learning</mark>');
    assert.equal(markText('Reinforcement Learning', m('reinforcement learnin', false)), '<mark>Reinforcement</mark> Learning');
  });
});

describe('snippet', () => {
  test('a short text is returned whole', () => {
    assert.equal(snippet('A short abstract about splatting.', m('splatting')), 'A short abstract about <mark>splatting</mark>.');
  });

  test('picks the window with the most distinct matched words, cut on words', () => {
    const out = snippet(ABSTRACT, m('shared spatial information'));
    const text = plain(out);
    assert.ok(text.length <= SNIPPET_CHARS + 2, `${text.length}`);
    assert.ok(text.startsWith('…') && !text.endsWith('…'), text);
    assert.match(out, /<mark>shared<\/mark> 3D <mark>spatial<\/mark> <mark>information<\/mark>/);
    assert.ok(ABSTRACT.includes(text.slice(1)), 'a contiguous piece of the abstract');
  });

  test('among windows with as many distinct words, the one with the most matches, the earliest of equals', () => {
    assert.equal(
      snippet(ABSTRACT, m('spatial 3dgs')),
      '…(<mark>3DGS</mark>). This framework leverages the inherent continuous <mark>spatial</mark> representation of NeRF to mitigate several limitations of <mark>3DGS</mark>, including sensitivity to Gaussian initialization, limited <mark>spatial</mark> awareness, and weak inter-Gaussian…',
    );
    assert.match(snippet(ABSTRACT, m('framework')), /^With generalization in mind, we present NeRF-GS, a novel <mark>framework<\/mark> that/);
  });

  test('without matches, the opening of the abstract', () => {
    const text = plain(snippet(ABSTRACT, m('zebra')));
    assert.ok(text.endsWith('…') && ABSTRACT.startsWith(text.slice(0, -1)));
    assert.ok(text.length <= SNIPPET_CHARS + 1);
  });

  test('highlightPaper returns both parts, whitespace squashed', () => {
    const h = highlightPaper({ title: 'NeRF Is a Valuable\n  Assistant for 3D Gaussian Splatting', abstract: ABSTRACT }, m('nerf'));
    assert.equal(h.title, '<mark>NeRF</mark> Is a Valuable Assistant for 3D Gaussian Splatting');
    assert.match(h.snippet, /^With generalization in mind, we present <mark>NeRF<\/mark>-GS/);
  });
});
