import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { highlightMatchers, highlightPaper, markAuthors, markText, snippet, SNIPPET_CHARS } from './highlight.js';
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

describe('only the query\'s words and their inflections', () => {
  const TITLE = 'Toward General Instruction-Following Alignment for Retrieval-Augmented Generation';

  test('stopwords are never marked outside a quoted phrase', () => {
    assert.equal(markText('Networks for a generation', m('networks for a generation')), '<mark>Networks</mark> for a <mark>generation</mark>');
    assert.equal(markText('A study of the networks', m('a study of the')), 'A <mark>study</mark> of the networks');
    assert.equal(markText('for a', m('for a')), 'for a');
    assert.equal(markText('Theory of the thing', m('the', true)), '<mark>Theory</mark> of the thing', 'a half-typed word marks the words it begins, not stopwords');
    assert.equal(markText('A at an', m('a', true)), 'A at an', 'one letter is not a prefix (as in the keyword index)');
  });

  test('look-alikes with the same Porter stem are not marked', () => {
    assert.equal(
      markText('generation, generations, generated, generalization, general, generic, generative', m('generation')),
      '<mark>generation</mark>, <mark>generations</mark>, <mark>generated</mark>, generalization, general, generic, generative',
    );
    assert.equal(markText('The university studies the universe', m('universe')), 'The university studies the <mark>universe</mark>');
    assert.equal(markText('organ organs organization', m('organ')), '<mark>organ</mark> <mark>organs</mark> organization');
    assert.equal(markText('new news', m('new')), '<mark>new</mark> news');
    assert.equal(markText(TITLE, m('generation')), 'Toward General Instruction-Following Alignment for Retrieval-Augmented <mark>Generation</mark>');
  });

  test('inflections are marked', () => {
    assert.equal(markText('a network of networks networking', m('network')), 'a <mark>network</mark> of <mark>networks</mark> <mark>networking</mark>');
    assert.equal(markText('Modeling models', m('model')), '<mark>Modeling</mark> <mark>models</mark>');
    assert.equal(markText('studies studied', m('study')), '<mark>studies</mark> <mark>studied</mark>');
    assert.equal(markText('General generalization', m('general generation')), '<mark>General</mark> generalization', 'two query words with one stem keep their own inflections');
  });

  test('a quoted phrase is marked where it occurs whole, its stopwords too, and not word by word elsewhere', () => {
    assert.equal(
      markText(`${TITLE}; alignment for all`, m('"alignment for retrieval"')),
      'Toward General Instruction-Following <mark>Alignment</mark> <mark>for</mark> <mark>Retrieval</mark>-Augmented Generation; alignment for all',
    );
    assert.equal(markText('A study, a Study of a study', m('"a study of"')), 'A study, <mark>a</mark> <mark>Study</mark> <mark>of</mark> a study');
    assert.equal(markText('for, and for', m('"for"')), '<mark>for</mark>, and <mark>for</mark>');
    assert.equal(markText('Generalization for generation', m('"generation"')), 'Generalization for <mark>generation</mark>');
    assert.equal(
      markText('Gaussian splatting and Gaussian processes', m('"gaussian splatting" gaussian')),
      '<mark>Gaussian</mark> <mark>splatting</mark> and <mark>Gaussian</mark> processes',
      'a phrase and a word of it',
    );
  });

  test('snippets follow the same rules', () => {
    const out = snippet(ABSTRACT, m('generation for a framework'));
    assert.ok(!/<mark>(generalization|for|a|in)<\/mark>/i.test(out), out);
    assert.match(out, /a novel <mark>framework<\/mark>/);
    const h = highlightPaper({ title: 'NeRF Is a Valuable Assistant for 3D Gaussian Splatting', abstract: ABSTRACT }, m('a nerf for generation'));
    assert.equal(h.title, '<mark>NeRF</mark> Is a Valuable Assistant for 3D Gaussian Splatting');
    assert.match(h.snippet, /^With generalization in mind, we present <mark>NeRF<\/mark>-GS/);
  });
});

describe('markAuthors', () => {
  const AUTHORS = ['A. One', 'B. Two', 'Geoffrey E. Hinton', 'Yann LeCun', 'C. <Three>'];

  test('the authors a name matches, by index, with the matched words marked', () => {
    assert.deepEqual([...markAuthors(AUTHORS, ['Hinton'])], [[2, 'Geoffrey E. <mark>Hinton</mark>']]);
    assert.deepEqual([...markAuthors(AUTHORS, ['yann lecun'])], [[3, '<mark>Yann LeCun</mark>']]);
    assert.deepEqual([...markAuthors(AUTHORS, ['three', 'lecun'])], [[3, 'Yann <mark>LeCun</mark>'], [4, 'C. &lt;<mark>Three</mark>&gt;']]);
    assert.deepEqual([...markAuthors(AUTHORS, ['Smith'])], []);
    assert.deepEqual([...markAuthors(AUTHORS, [])], []);
  });

  test('a name runs across two authors as the keyword index reads the list', () => {
    assert.deepEqual([...markAuthors(AUTHORS, ['Hinton Yann'])], [[2, 'Geoffrey E. <mark>Hinton</mark>'], [3, '<mark>Yann</mark> LeCun']]);
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
