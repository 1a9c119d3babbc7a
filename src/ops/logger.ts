// The one logger of a process: pino, one JSON object per line. Secrets are
// kept out twice: pino's redaction blanks header and password fields, and
// every finished line passes through redactUrlCredentials before it is
// written, so a connection URL quoted in a message or an error stack loses
// its password too.
import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const REDACTED = '[REDACTED]';

// scheme://user:password@ (the user may be empty: postgres://:secret@host).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s"]*):[^@/?#\s"]*@/gi;

/** `postgres://app:secret@db/paperboy` -> `postgres://app:[REDACTED]@db/paperboy`; text without such a URL is unchanged. */
export function redactUrlCredentials(text: string): string {
  return text.includes('://') ? text.replace(URL_CREDENTIALS, `$1:${REDACTED}@`) : text;
}

/** Field paths blanked wherever a log object carries them. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["proxy-authorization"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["proxy-authorization"]',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go (default: standard output). */
  destination?: { write(line: string): unknown };
}

export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? process.stdout;
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => void out.write(redactUrlCredentials(line)) },
  );
}

/** A logger that writes nothing (tests and library callers that were given none). */
export const silentLogger: Logger = pino({ level: 'silent' });
