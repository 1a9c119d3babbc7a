/** One error class that knows its HTTP answer; named factories give each a stable machine-readable id. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 500 | 503,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, id = 'bad_request') => new HttpError(400, id, message);
export const notFound = (message = 'Not found', id = 'not_found') => new HttpError(404, id, message);
export const paperNotFound = (id: string) => new HttpError(404, 'paper_not_found', `No paper with id ${id}`);

// Errors the store raises, whatever its backend; the web app maps them to HTTP (httpErrorFor), the CLI prints them.

/** The store could not run a search query: the query is at fault, not the server (HTTP 400 with `message`). */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another process held the database's write lock for longer than the caller would wait. */
export class DatabaseBusyError extends Error {}

/** The database is damaged; the message names what to run. */
export class DatabaseDamagedError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(
      `the database ${path} is damaged (${problems[0] ?? 'unreadable'}${problems.length > 1 ? `, and ${problems.length - 1} more problems` : ''}); ` +
        `run \`paperboy repair\` to copy everything readable into a new file (the damaged one is kept beside it), ` +
        `then \`paperboy import\` your source files again to restore what was lost`,
    );
  }
}

/** The HTTP answer to an application error; null for anything else (a 500). */
export function httpErrorFor(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof QuerySyntaxError) return badRequest(err.message, 'bad_query');
  if (err instanceof DatabaseBusyError) return new HttpError(503, 'database_busy', 'The database is busy; try again in a moment.');
  // The message names the file and the repair: for the operator's log, not for the visitor.
  if (err instanceof DatabaseDamagedError) return new HttpError(503, 'database_damaged', 'The database cannot be read just now.');
  return null;
}
