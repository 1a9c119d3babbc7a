/* global module */
'use strict';
// autocannon setupClient for bench/load.ts: count response bodies, do not keep
// them. autocannon appends every body chunk to a string (decoding gzip bytes
// as UTF-8), which for 50-200 KB answers cost the load generator more CPU than
// the server spent making them, and made it, not the server, set the pace.
// A file because autocannon worker threads can only load a setupClient by path.
module.exports = function setupClient(client) {
  client.pipelinedRequests.addBody = () => {};
};
