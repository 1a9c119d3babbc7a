import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutOnWord, renderMathPreview, renderMathText, splitMath } from './latex.js';

test('plain text is escaped and left alone otherwise', () => {
  assert.equal(renderMathText('Fast & "safe" <b>models</b>'), 'Fast &amp; &quot;safe&quot; &lt;b&gt;models&lt;/b&gt;');
});

test('a script tag in a title stays text', () => {
  const out = renderMathText('<script>alert(1)</script> with $x$');
  assert.ok(out.startsWith('&lt;script&gt;alert(1)&lt;/script&gt; with <span class="katex">'));
  assert.ok(!out.includes('<script'));
});

test('inline $x^2$ becomes KaTeX HTML and MathML with the TeX kept as annotation', () => {
  const out = renderMathText('We show $x^2$ grows.');
  assert.ok(out.startsWith('We show <span class="katex">'));
  assert.ok(out.includes('<math xmlns="http://www.w3.org/1998/Math/MathML">'));
  assert.ok(out.includes('<annotation encoding="application/x-tex">x^2</annotation>'));
  assert.ok(out.endsWith(' grows.'));
  assert.ok(!out.includes('$'));
});

test('display math: $$...$$ and \\[...\\]; inline \\(...\\)', () => {
  assert.deepEqual(
    splitMath('a $$\\sum_i x_i$$ b \\(y\\) c \\[z\\]').map((s) => (s.kind === 'math' ? `${s.display ? 'D' : 'I'}:${s.tex}` : s.text)),
    ['a ', 'D:\\sum_i x_i', ' b ', 'I:y', ' c ', 'D:z'],
  );
  assert.ok(renderMathText('$$E=mc^2$$').includes('class="katex-display"'));
});

test('money dollars, lone and unbalanced dollars stay text', () => {
  for (const s of ['It costs $5.', 'from $5 to $10 per hour', 'Earn $1 Million from Freelance', 'Fixing 7,400 Bugs for 1$: Cheap', 'unclosed $x^2 here', '$ 5 $', 'only $$ here']) {
    assert.deepEqual(splitMath(s), [{ kind: 'text', text: s }], s);
    assert.equal(renderMathText(s), s.replace(/&/g, '&amp;'), s);
  }
  assert.equal(renderMathText('\\$OneMillion-Bench'), '$OneMillion-Bench', 'an escaped dollar is a dollar');
});

test('math never spans a paragraph break', () => {
  assert.equal(splitMath('price $5\n\nand later x$ here').length, 1);
});

test('LaTeX text escapes and accents outside math become characters', () => {
  assert.equal(renderMathText("Poincar\\'e, Poincar\\'{e}, G{\\\"o}del, 5\\% \\& more"), 'Poincaré, Poincaré, Gödel, 5% &amp; more');
});

test('bad TeX is shown, not thrown', () => {
  const out = renderMathText('broken $\\frac{1}{$ formula');
  assert.ok(out.includes('katex-error'));
});

test('math whose backslashes were stripped is shown as text, not set as italic letters', () => {
  // Two abstracts of the demo's Hugging Face capture, as they arrive.
  assert.equal(renderMathText('fine-tuning of\n$textbf{specialist} and textbf{generalist}$ models'), 'fine-tuning of\nspecialist and generalist models');
  const bound = renderMathText('with respect to N and K:\n$P(final output is incorrect) le (1 - p_{gen})^N +\nlceil log_2 N rceil e^{-2 K (p_{comp} - 0.5)^2}$. Our');
  assert.ok(!bound.includes('katex'), bound);
  assert.ok(bound.includes('P(final output is incorrect) le (1 - p_{gen})^N +\nlceil log_2 N rceil e^{-2 K (p_{comp} - 0.5)^2}. Our'), bound);
  assert.ok(renderMathPreview('of $textbf{specialist}$ models and more', 300).endsWith('of specialist models and more'));
  // Genuine math, with its backslashes or without any command, is still typeset.
  for (const tex of ['\\textbf{x} \\le \\lceil \\log_2 N \\rceil', 'O(n^2)', 'W_1', 'd_{model}', 'x_{text}', 'B_j(s) = β(π_j)α_j^{\\max}(s)', '9.6\\times']) {
    assert.ok(renderMathText(`a $${tex}$ b`).includes('class="katex"'), tex);
  }
});

test('preview: cut on a word with an ellipsis; math kept whole or left out', () => {
  const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
  assert.equal(renderMathPreview(words, 20), 'alpha beta gamma…');
  assert.equal(renderMathPreview('short text', 300), 'short text');
  assert.equal(renderMathPreview('a  b\n c', 300), 'a b c', 'whitespace collapsed');
  const withMath = renderMathPreview(`We prove $x^2 + y^2 = z^2$ ${'and more '.repeat(10)}`, 40);
  assert.ok(withMath.includes('class="katex"') && withMath.endsWith('…'));
  const mathAtCut = renderMathPreview(`${'word '.repeat(7)}$\\sum_{i=1}^{n} i^2$ tail`, 40);
  assert.ok(!mathAtCut.includes('katex') && !mathAtCut.includes('$') && mathAtCut.endsWith('…'), mathAtCut);
  assert.equal(cutOnWord('abcdefghij klm', 12), 'abcdefghij');
  assert.equal(cutOnWord('abcdefghijklmnop', 10), 'abcdefghij', 'no space near: hard cut');
});

test('common text-mode macros outside math show their text', () => {
  assert.equal(renderMathText('We build \\textsc{AIEV-Instruct} and {\\it WaveCoder}, e.g.\\ this'), 'We build AIEV-Instruct and WaveCoder, e.g. this');
});
