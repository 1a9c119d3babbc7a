/** A command cannot start for a reason the operator can fix; the message says how, in one line. */
export class StartupError extends Error {}
