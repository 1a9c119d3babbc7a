import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { AppContext } from './context.js';

export interface RunningServer {
  server: ServerType;
  url: string;
  /**
   * Stops accepting connections and lets requests in flight finish; after
   * `graceMs` (default 5 s) the connections still open are cut.
   */
  close(graceMs?: number): Promise<void>;
}

/** The server could not listen; the message says why and what to change. */
export class ListenError extends Error {}

function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is in use by another program (another Paperboy?); stop it or choose another PORT`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose a PORT above 1023`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: HOST is not an address of this machine; use 127.0.0.1, 0.0.0.0 (all addresses) or one of its own`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${where}: HOST ${JSON.stringify(host)} is not a known host name; use 127.0.0.1, 0.0.0.0 or an address of this machine`;
    default:
      return `cannot listen on ${where}: ${err.message}`;
  }
}

/** Listen on the configured host and port (0 picks a free port). */
export function startServer(ctx: AppContext): Promise<RunningServer> {
  const app = createApp(ctx);
  const { host: hostname, port } = ctx.config;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      // With PORT=0 the port is known only now; links in feeds must carry it.
      if (ctx.config.baseUrlFromAddress && ctx.config.port === 0) ctx.config.baseUrl = ctx.config.baseUrl.replace(/:0$/, `:${info.port}`);
      server.off('error', onListenError);
      resolve({ server, url: `http://${host}:${info.port}`, close: (graceMs) => closeGracefully(server as Server, graceMs) });
    });
    const onListenError = (err: NodeJS.ErrnoException) => reject(new ListenError(listenProblem(err, hostname, port), { cause: err }));
    server.once('error', onListenError);
  });
}

function closeGracefully(server: Server, graceMs = 5000): Promise<void> {
  return new Promise<void>((done) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      done();
    });
    // Keep-alive connections between requests would hold close() open.
    server.closeIdleConnections();
  });
}
