import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { RequestTurns } from './request-turns.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('RequestTurns', () => {
  test('requests start in the order they asked', async () => {
    const turns = new RequestTurns(1000);
    const started: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => turns.wait().then(() => started.push(i))));
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(turns.queued, 0);
  });

  test('a turn starts requests only until its budget is spent, then the event loop comes round', async () => {
    const events: string[] = [];
    const run = async (turns: RequestTurns) => {
      events.length = 0;
      await Promise.all(
        [1, 2, 3].map((i) =>
          turns.wait().then(() => {
            events.push(`request ${i}`);
            // A timer due before the next turn: it runs before request 2 only if the loop comes round in between.
            if (i === 1) setTimeout(() => events.push('timer'), 0);
            busy(3);
          }),
        ),
      );
      await sleep(5);
      return [...events];
    };
    assert.deepEqual(await run(new RequestTurns(1)), ['request 1', 'timer', 'request 2', 'request 3']);
    // With budget for all three, they run in one turn, as Node runs requests read together.
    assert.deepEqual(await run(new RequestTurns(1000)), ['request 1', 'request 2', 'request 3', 'timer']);
  });

  test('nothing is left scheduled once the queue is empty (an idle server does not spin)', async () => {
    const turns = new RequestTurns(0);
    await Promise.all([turns.wait(), turns.wait()]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Immediate').length, 0);
  });
});

/**
 * A server whose requests each take 15 ms, 8 connections keeping it busy, then
 * 12 new connections at once: how many answers the busy connections get
 * before the last new connection gets its first. Node accepts one connection
 * per turn of its event loop, so without turns every new connection waits for
 * a whole turn of answers (56 answers when written); with them, a turn is one
 * request long and the new ones are accepted at once (18).
 */
async function answersBeforeLastNewConnection(turns: RequestTurns | null): Promise<number> {
  const server = http.createServer((req, res) => {
    const answer = () => {
      busy(15);
      res.end('ok');
    };
    if (turns) void turns.wait().then(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = (a: http.Agent) =>
    new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, agent: a }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  let stop = false;
  let busyAnswers = 0;
  const keepBusy = async () => {
    const own = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (!stop) {
      await get(own);
      busyAnswers++;
    }
    own.destroy();
  };
  const busyLoops = Array.from({ length: 8 }, keepBusy);
  try {
    while (busyAnswers < 16) await sleep(5);
    const before = busyAnswers;
    // Each new connection its own agent: 12 connections opened at once.
    await Promise.all(Array.from({ length: 12 }, () => new http.Agent({ keepAlive: false })).map((a) => get(a)));
    return busyAnswers - before;
  } finally {
    stop = true;
    await Promise.all(busyLoops);
    await new Promise((resolve) => server.close(resolve));
  }
}

test('new connections are answered promptly while the server is busy', async (t) => {
  const withTurns = await answersBeforeLastNewConnection(new RequestTurns());
  const without = await answersBeforeLastNewConnection(null);
  t.diagnostic(`busy answers before the last new connection's first: with turns ${withTurns}, without ${without}`);
  // First come, first served: the 12 new requests wait behind at most the 8 queued ones, a few times over.
  assert.ok(withTurns <= 40, `with turns, ${withTurns} busy answers came before the last new connection's first`);
  assert.ok(without > withTurns, `without turns ${without}, with ${withTurns}`);
});
