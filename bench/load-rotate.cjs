/* global require, module */
'use strict';
// autocannon setupRequest for bench/load.ts: each request of a route takes the
// next of the route's `paths`. A file rather than a closure because autocannon
// worker threads can only load a setupRequest by path. In a worker thread the
// rotation starts at an offset, so that workers do not send the same sequence.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { threadId } = require('node:worker_threads');

const next = new WeakMap();

module.exports = function rotate(req) {
  const paths = req.paths;
  const i = next.get(paths) ?? (threadId * 7919) % paths.length;
  next.set(paths, (i + 1) % paths.length);
  return { ...req, path: paths[i] };
};
