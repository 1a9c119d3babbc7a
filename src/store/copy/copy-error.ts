/** A copy cannot start or go on for a reason the operator can fix; the message says which, in one line, without passwords. */
export class CopyError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'CopyError';
  }
}
