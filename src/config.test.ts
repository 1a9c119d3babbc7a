import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.baseUrl, 'http://127.0.0.1:3000');
  assert.match(c.databasePath, /data\/paperboy\.db$/);
  assert.match(c.demoDataPath ?? '', /demo\/hf-daily-papers\.jsonl\.gz$/);
});

test('values from the environment', () => {
  const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', PAPERBOY_BASE_URL: 'https://papers.example.org/', PAPERBOY_DATA_DIR: '/tmp/pb', PAPERBOY_DEMO_DATA: 'off' });
  assert.equal(c.port, 8080);
  assert.equal(c.baseUrl, 'https://papers.example.org');
  assert.equal(c.databasePath, '/tmp/pb/paperboy.db');
  assert.equal(c.demoDataPath, null);
});

test('bad values are named in one clear error', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty', PAPERBOY_BASE_URL: 'not a url' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /PORT/);
    assert.match(err.message, /PAPERBOY_BASE_URL/);
    return true;
  });
  assert.throws(() => loadConfig({ PORT: '70000' }), ConfigError);
});

test('logging: info and no request lines by default; PAPERBOY_LOG_LEVEL takes pino level names only', () => {
  assert.equal(loadConfig({}).logLevel, 'info');
  assert.equal(loadConfig({}).logRequests, false);
  const c = loadConfig({ PAPERBOY_LOG_LEVEL: 'debug', PAPERBOY_LOG_REQUESTS: '1' });
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.logRequests, true);
  assert.throws(() => loadConfig({ PAPERBOY_LOG_LEVEL: 'verbose' }), /PAPERBOY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "verbose"\)/);
});

test('DATABASE_URL: unset keeps the SQLite file in the data dir; a postgres URL selects PostgreSQL; nothing prints the password', () => {
  assert.deepEqual(loadConfig({ PAPERBOY_DATA_DIR: '/tmp/pb' }).database, { backend: 'sqlite', path: '/tmp/pb/paperboy.db' });
  assert.deepEqual(loadConfig({ DATABASE_URL: 'postgresql://pb:hunter2@db:5432/paperboy' }).database, {
    backend: 'postgres',
    url: 'postgresql://pb:hunter2@db:5432/paperboy',
    display: 'postgresql://pb:***@db:5432/paperboy',
  });
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://pb:hunter2@db/paperboy', PORT: 'eighty' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    assert.match(err.message, /PORT/, 'with the other problems');
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});

test('PAPERBOY_ARXIV_DELAY_MS: 3000 by default, a whole number of milliseconds', () => {
  assert.equal(loadConfig({}).arxivDelayMs, 3000);
  assert.equal(loadConfig({ PAPERBOY_ARXIV_DELAY_MS: '0' }).arxivDelayMs, 0);
  for (const bad of ['-5', '1.5', 'soon', '']) {
    assert.throws(() => loadConfig({ PAPERBOY_ARXIV_DELAY_MS: bad }), /PAPERBOY_ARXIV_DELAY_MS must be a whole number/, bad);
  }
});

test('PAPERBOY_WEB_PROCESSES: 1 by default, a whole number from 1 to 64', () => {
  assert.equal(loadConfig({}).webProcesses, 1);
  assert.equal(loadConfig({ PAPERBOY_WEB_PROCESSES: '2' }).webProcesses, 2);
  for (const bad of ['0', '65', '1.5', 'two', '', '-1']) {
    assert.throws(() => loadConfig({ PAPERBOY_WEB_PROCESSES: bad }), /PAPERBOY_WEB_PROCESSES must be a whole number of processes from 1 to 64/, bad);
  }
});
