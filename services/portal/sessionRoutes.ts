import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { Caller, bearerToken, callerOf } from '../shared/auth';
import { HubConfig } from '../shared/config';
import { DEPARTMENTS } from '../shared/contract';
import { HubError } from '../shared/errors';
import { express } from '../shared/http';
import { API } from './params';
import { SESSION_COOKIE, SESSION_HOURS, clearedCookie, closeSession, cookieValue, findSession, openSession, sessionCookie } from './session';
import { admitSignIn } from './signInLimit';

/**
 * Sign-in for the console: POST /api/v1/session {token} → cookie, GET → who is signed in,
 * DELETE → signed out. Mounted before the API's authentication (these routes are how one
 * gets authenticated). `callerOfRequest` is the API's authentication: a bearer token (systems,
 * curl) or the console's session cookie.
 */
export interface SessionDeps {
  db: Knex;
  config: HubConfig;
}

/** Secure cookies wherever the console is served over https (production). */
function secureCookies(config: HubConfig): boolean {
  return config.env === 'production' || process.env.NODE_ENV === 'production';
}

function whoIs(caller: Caller, expiresAt?: Date) {
  return { department: caller.department, departmentName: DEPARTMENTS[caller.department], tokenLabel: caller.tokenLabel, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
}

/** The caller of an API request and the token it acts with (for requests forwarded to the gateway). */
export async function callerOfRequest(db: Knex, req: Request): Promise<{ caller: Caller; token: string }> {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer || req.headers.authorization) return { caller: await callerOf(db, req.headers.authorization), token: bearer ?? '' };
  const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (secret) {
    const s = await findSession(db, secret);
    if (s) return { caller: s.caller, token: s.token };
    throw new HubError('UNAUTHENTICATED', '登录已过期或已退出，请重新登录');
  }
  // The same answer as a missing bearer token: systems read it, people get the sign-in page.
  return { caller: await callerOf(db, undefined), token: '' };
}

export function sessionRoutes(app: Express, deps: SessionDeps): void {
  const { db, config } = deps;
  const secure = secureCookies(config);

  app.post(`${API}/session`, express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    const wait = await admitSignIn(db, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait !== null) throw new HubError('TOO_MANY_REQUESTS', `登录尝试过于频繁，请 ${wait} 秒后再试`, { retryAfter: wait });
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (!token) throw new HubError('BAD_REQUEST', '请输入本部门的身份令牌');
    const opened = await openSession(db, token);
    if (!opened) throw new HubError('UNAUTHENTICATED', '身份令牌无效或已停用');
    res.set('Set-Cookie', sessionCookie(opened.secret, { secure, maxAgeSeconds: SESSION_HOURS * 3600 }));
    res.status(201).json(whoIs(opened.caller, opened.expiresAt));
  });

  app.get(`${API}/session`, async (req: Request, res: Response) => {
    const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const s = secret ? await findSession(db, secret) : null;
    if (!s) throw new HubError('UNAUTHENTICATED', '尚未登录');
    res.json(whoIs(s.caller, s.expiresAt));
  });

  app.delete(`${API}/session`, async (req: Request, res: Response) => {
    const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (secret) await closeSession(db, secret);
    res.set('Set-Cookie', clearedCookie(secure));
    res.status(204).end();
  });
}
