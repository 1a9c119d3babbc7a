import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { jsonArrayBytes, sendHtml, sendJson } from './utf8-body.js';

const value = [{ title: 'Müller’s naïve café — 3D · “splatting” …', n: 1, nested: { emoji: '🧪' } }];
const page = '<p>Gaussian · Splatting… Müller 🧪</p>';

const app = new Hono();
app.get('/json', (c) => c.json(value));
app.get('/json-bytes', (c) => sendJson(c, value));
app.get('/html', (c) => c.html(page));
app.get('/html-bytes', (c) => {
  c.header('Cache-Control', 'no-store');
  return sendHtml(c, page);
});

async function answer(path: string) {
  const res = await app.request(path);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

describe('UTF-8 bodies', () => {
  test('the same answer as c.json, byte for byte', async () => {
    assert.deepEqual(await answer('/json-bytes'), await answer('/json'));
  });

  test('the same answer as c.html, headers set before kept', async () => {
    assert.deepEqual(await answer('/html-bytes'), await answer('/html'));
    assert.equal((await app.request('/html-bytes')).headers.get('cache-control'), 'no-store');
  });

  test('jsonArrayBytes: JSON.stringify of the array, as UTF-8 bytes', () => {
    const items = [...value, 'plain', 3, null, { nothing: undefined }, undefined, [1, [2]], ''];
    assert.equal(jsonArrayBytes(items).toString('utf8'), JSON.stringify(items));
    assert.equal(jsonArrayBytes([]).toString('utf8'), '[]');
    assert.deepEqual(JSON.parse(jsonArrayBytes(value).toString('utf8')), value);
  });
});
