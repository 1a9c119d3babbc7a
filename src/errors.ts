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
