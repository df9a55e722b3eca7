import http from 'node:http';
import express, { Express, NextFunction, Request, Response } from 'express';
import { HubError, isDatabaseUnavailable } from './errors';
import { Logger } from './logger';

export type ReadinessCheck = () => Promise<void>;

/** /healthz: the process is up. /readyz: every dependency check passes (503 with reasons otherwise). */
export function healthRoutes(app: Express, checks: Record<string, ReadinessCheck>): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results: Record<string, string> = {};
    let ok = true;
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 3000);
          results[name] = 'ok';
        } catch (err) {
          ok = false;
          results[name] = (err as Error).message;
        }
      }),
    );
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks: results });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms).unref())]);
}

/**
 * The body parser's other refusals (by its error `type`), in Chinese; without this they fell
 * through to 500 although the client sent something wrong.
 */
const BODY_PROBLEMS: Record<string, [number, string]> = {
  'charset.unsupported': [415, '不支持的字符集：JSON 请求体应为 UTF-8（Content-Type: application/json; charset=utf-8）；GB 18030（GBK）数据请以 CSV 文件提交'],
  'encoding.unsupported': [415, '不支持的 Content-Encoding：请求体可不压缩，或用 gzip、deflate、br 压缩'],
  'request.aborted': [400, '请求体未传完，连接已中断'],
  'request.size.invalid': [400, '请求体长度与 Content-Length 不符'],
  'entity.verify.failed': [400, '请求体未通过检查'],
  'stream.encoding.set': [400, '请求体无法读取'],
  'stream.not.readable': [400, '请求体无法读取'],
};

/** JSON error bodies with a Chinese `message` and a stable `code`. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // Refused before the whole body was read (413, a zip bomb): the connection is not reused, or
    // the client's next request would meet the unread rest of this one. The rest is read and
    // dropped first (for at most a few seconds): a client still sending when the socket closes
    // gets a reset instead of our answer.
    if (!req.complete) {
      res.set('Connection', 'close');
      if (!req.destroyed) {
        let answered = false;
        const answer = () => {
          if (answered) return;
          answered = true;
          clearTimeout(timer);
          respond(err, res);
        };
        const timer = setTimeout(answer, DRAIN_MS);
        req.once('end', answer);
        req.once('close', answer);
        req.once('error', answer);
        req.resume();
        return;
      }
    }
    respond(err, res);
  };

  function respond(err: unknown, res: Response): void {
    if (res.headersSent || res.destroyed) return;
    if (err instanceof HubError) {
      if (err.retryAfter !== null) res.set('Retry-After', String(err.retryAfter));
      res.status(err.httpStatus).json({ code: err.code, message: err.message, ...err.details });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ code: 'PAYLOAD_TOO_LARGE', message: '请求体过大 (payload too large)' });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      // The parser's own message may quote the body (which can hold an ID number): not echoed.
      res.status(400).json({ code: 'BAD_REQUEST', message: '请求体不是有效的 JSON (malformed JSON body)' });
      return;
    }
    const bodyProblem = e.type ? BODY_PROBLEMS[e.type] : undefined;
    if (bodyProblem) {
      res.status(bodyProblem[0]).json({ code: bodyProblem[0] === 415 ? 'UNSUPPORTED_TYPE' : 'BAD_REQUEST', message: bodyProblem[1] });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn({ err: (err as Error).message }, 'database unavailable');
      res.set('Retry-After', '5');
      res.status(503).json({ code: 'DEPENDENCY_UNAVAILABLE', message: '数据库暂不可用，本次请求未被处理，请稍后重试（已接收的记录再次提交会计为重复）' });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ code: 'INTERNAL', message: '服务器内部错误 (internal error)' });
  }
}

/** How long a refused upload's unread rest is drained before the answer goes out regardless. */
const DRAIN_MS = 5_000;

/**
 * Security headers (helmet is not among the installed packages, and these few are all we need).
 * The console's policy allows only its own scripts; antd injects styles at run time, hence
 * 'unsafe-inline' for styles only; the PDF preview is an iframe of our own origin.
 * A JSON-only service (the gateway) needs no content at all: 'none'.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "frame-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * A PDF shown inside the console's own page (the 通报与文书 preview, ?inline=1): only this answer
 * may be framed, and only by a page of the same origin; it loads nothing itself. Every other
 * answer keeps frame-ancestors 'none' and X-Frame-Options DENY.
 */
export const INLINE_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

export function allowSameOriginFraming(res: Response): void {
  res.set('Content-Security-Policy', INLINE_DOCUMENT_CSP);
  res.set('X-Frame-Options', 'SAMEORIGIN');
}

export interface SecurityHeaderOptions {
  csp: string;
  /** Strict-Transport-Security: only where the service is reached over https (production). */
  hsts: boolean;
}

/** The headers every answer carries (pure: options in, name → value out). */
export function securityHeaderValues(opts: SecurityHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': opts.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(opts.hsts ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Production is WHP_ENV=production (the hub's switch) or NODE_ENV=production. */
export function isProduction(env: string, nodeEnv = process.env.NODE_ENV): boolean {
  return env === 'production' || nodeEnv === 'production';
}

export function securityHeaders(opts: SecurityHeaderOptions) {
  const values = securityHeaderValues(opts);
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.set(values);
    next();
  };
}

export function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    // Express 5 calls back with the error too (a port already taken), not only on success.
    const fail = (err: Error) => reject(new Error(`无法在 ${host}:${port} 上监听（端口已被占用？）: ${err.message}`));
    const server = app.listen(port, host, (err?: Error) => (err ? fail(err) : resolve(server)));
    server.once('error', fail);
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export { express };
