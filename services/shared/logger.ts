import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Tokens and person identifiers are redacted by path wherever they
 * could appear; services must still never put a clear ID number into a message string.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'token',
        'personId',
        '*.personId',
        'record.personId',
        'payload',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
