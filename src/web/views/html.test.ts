import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, raw } from './html.js';

test('escapeHtml escapes the five HTML metacharacters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(escapeHtml('plain'), 'plain');
});

test('html escapes interpolations, keeps raw() and nested templates, joins lists', () => {
  const title = '<script>alert(1)</script>';
  const inner = html`<em>${title}</em>`;
  const out = html`<p title="${title}">${inner}${raw('<b>ok</b>')}${[1, ' & ', 2]}${null}${undefined}${false}</p>`;
  assert.equal(out.value, '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><em>&lt;script&gt;alert(1)&lt;/script&gt;</em><b>ok</b>1 &amp; 2</p>');
  assert.equal(String(out), out.value);
});

