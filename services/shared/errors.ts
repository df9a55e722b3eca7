/** Typed errors with stable codes; `message` is for people (Chinese where a person reads it). */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_TYPE'
  | 'SCHEMA_INCOMPATIBLE'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL';

const HTTP_STATUS: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  SCHEMA_INCOMPATIBLE: 409,
  DEPENDENCY_UNAVAILABLE: 503,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
};

export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubError';
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
  /** Seconds to wait before trying again, for the answers that say to come back (503, 429). */
  get retryAfter(): number | null {
    if (this.code !== 'DEPENDENCY_UNAVAILABLE' && this.code !== 'TOO_MANY_REQUESTS') return null;
    const s = Number(this.details?.retryAfter);
    return Number.isFinite(s) && s > 0 ? s : 5;
  }
}

/** A configuration variable is missing or wrong; the message names the variable. */
export class ConfigError extends HubError {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super('CONFIG_INVALID', `配置错误 / invalid configuration: ${variable} ${problem}`, { variable });
    this.name = 'ConfigError';
  }
}

const DB_GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/**
 * PostgreSQL, or the way to it, is gone for now: connection refused or cut, the server shutting
 * down or starting, no pooled connection to be had. A request that meets this is answered 503
 * with Retry-After (it may be repeated), not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (DB_GONE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  return typeof e.message === 'string' && /Connection terminated|Client has encountered a connection error|connection is closed/i.test(e.message);
}

/** PostgreSQL refused the data itself (SQLSTATE class 22 data exception, 23 integrity violation). */
export function isDatabaseDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

/**
 * PostgreSQL aborted the transaction to break a lock cycle (40P01) or a serialisation conflict
 * (40001): nothing of it was kept, and running it again is the remedy.
 */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
