/**
 * The keyword index rejected a MATCH expression (FTS5 syntax, unknown column,
 * malformed NEAR...). The user's query is at fault, not the server: the web
 * layer answers 400 with `message`.
 */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
