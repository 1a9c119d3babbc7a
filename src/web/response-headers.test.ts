import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTENT_SECURITY_POLICY, headersFor, SECURITY_HEADERS, withHeadersBuiltIn, withResponseHeaders } from './response-headers.js';

const request = (path: string) => new Request(`http://localhost${path}`);

test('the policy, pinned: a change to it is a change to this test', () => {
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
      "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
  );
  assert.deepEqual(Object.keys(SECURITY_HEADERS), ['Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy']);
});

test('the JSON API adds CORS to the same headers', () => {
  assert.deepEqual(headersFor('/api/daily_papers'), { ...SECURITY_HEADERS, 'Access-Control-Allow-Origin': '*' });
  assert.equal(headersFor('/apis'), SECURITY_HEADERS);
  assert.equal(headersFor('/'), SECURITY_HEADERS);
});

test('responses get the headers, sync or async, even with immutable headers', async () => {
  const plain = withResponseHeaders(request('/'), new Response('x', { headers: { 'Content-Type': 'text/plain' } })) as Response;
  assert.equal(plain.headers.get('x-frame-options'), 'DENY');
  assert.equal(plain.headers.get('content-type'), 'text/plain');
  const later = await withResponseHeaders(request('/api/x'), Promise.resolve(new Response('{}')));
  assert.equal(later.headers.get('access-control-allow-origin'), '*');
  const redirect = withResponseHeaders(request('/go'), Response.redirect('http://localhost/there', 302)) as Response;
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get('location'), 'http://localhost/there');
  assert.equal(redirect.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
});

test('a response built with its headers is passed through untouched', () => {
  const built = withHeadersBuiltIn(new Response('x', { headers: { 'X-Own': '1' } }));
  assert.equal(withResponseHeaders(request('/'), built), built);
  assert.equal(built.headers.get('content-security-policy'), null);
});
