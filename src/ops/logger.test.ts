import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, redactUrlCredentials, REDACTED } from './logger.js';
import type { LogLevel } from './logger.js';

function capture(level: LogLevel = 'info') {
  const lines: string[] = [];
  const log = createLogger({ level, destination: { write: (line) => lines.push(line) } });
  return { log, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), text: () => lines.join('') };
}

test('redactUrlCredentials blanks the password of any scheme://user:password@ URL and nothing else', () => {
  assert.equal(redactUrlCredentials('postgres://app:s3cr%40t@db.local:5432/paperboy'), `postgres://app:${REDACTED}@db.local:5432/paperboy`);
  assert.equal(redactUrlCredentials('DATABASE_URL=postgresql://:hunter2@10.0.0.1/x?sslmode=require'), `DATABASE_URL=postgresql://:${REDACTED}@10.0.0.1/x?sslmode=require`);
  assert.equal(redactUrlCredentials('a https://user:pw@h/ and redis://u:p@r:6379'), `a https://user:${REDACTED}@h/ and redis://u:${REDACTED}@r:6379`);
  const plain = 'http://127.0.0.1:3000/papers/2405.15738 at 12:30 mail me@example.org';
  assert.equal(redactUrlCredentials(plain), plain);
});

test('each log call is one JSON line with an ISO time and a level name', () => {
  const { log, records, text } = capture();
  log.info({ port: 3000 }, 'listening');
  log.debug('not at info');
  assert.equal(text().split('\n').filter(Boolean).length, 1);
  const [r] = records();
  assert.equal(r?.level, 'info');
  assert.equal(r?.msg, 'listening');
  assert.equal(r?.port, 3000);
  assert.match(String(r?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('secrets never reach the log: URL passwords in messages, fields and error stacks; Authorization and Cookie headers; password fields', () => {
  const { log, text, records } = capture();
  const url = 'postgres://paperboy:correct-horse@db:5432/paperboy';
  log.info({ databaseUrl: url }, `connecting to ${url}`);
  log.error({ err: new Error(`connection to ${url} refused`) }, 'store failed');
  log.info({ req: { headers: { authorization: 'Bearer tok-123', cookie: 'session=abc', accept: 'text/html' } } }, 'request');
  log.warn({ smtp: { user: 'mailer', password: 'p4ss' } }, 'smtp');
  const all = text();
  for (const secret of ['correct-horse', 'tok-123', 'session=abc', 'p4ss']) assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
  type Logged = { databaseUrl: string; err: { stack: string }; req: { headers: Record<string, string> }; smtp: Record<string, string> };
  const [first, failed, request, smtp] = records() as unknown as [Logged, Logged, Logged, Logged];
  assert.equal(first.databaseUrl, `postgres://paperboy:${REDACTED}@db:5432/paperboy`);
  assert.match(failed.err.stack, /connection to postgres:\/\/paperboy:\[REDACTED\]@db/);
  assert.equal(request.req.headers.authorization, REDACTED);
  assert.equal(request.req.headers.cookie, REDACTED);
  assert.equal(request.req.headers.accept, 'text/html');
  assert.equal(smtp.smtp.password, REDACTED);
  assert.equal(smtp.smtp.user, 'mailer');
});
