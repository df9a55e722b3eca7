import crypto from 'node:crypto';
import { Knex } from 'knex';
import { Caller, hashToken, sameHash, tokenId } from '../shared/auth';
import { isDepartment } from '../shared/contract';

/**
 * Console sessions (控制台会话): a department token exchanged for a random secret that lives in
 * an HttpOnly cookie. The database keeps the secret's SHA-256 and the token sealed with a key
 * derived from the secret, so only a request carrying the cookie can act with the token (the
 * console's re-checks go to the gateway under it), and every portal instance knows the session.
 */
export const SESSION_COOKIE = 'whp_session';
/** A working day: signed in in the morning, signed out by the evening. */
export const SESSION_HOURS = 8;

export function newSessionSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sessionHash(secret: string): string {
  return crypto.createHash('sha256').update(`session:${secret}`, 'utf8').digest('hex');
}

function sealKey(secret: string): Buffer {
  return crypto.createHash('sha256').update(`seal:${secret}`, 'utf8').digest();
}

/** AES-256-GCM under a key only the cookie's secret gives: iv.tag.ciphertext, base64url. */
export function sealToken(token: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', sealKey(secret), iv);
  const body = Buffer.concat([c.update(token, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The token back, or null when the secret is not the one it was sealed with. */
export function unsealToken(sealed: string, secret: string): string | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p ?? '', 'base64url'));
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', sealKey(secret), iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(body), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** The value of one cookie in a Cookie header (no library: one name, no attributes to read). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
}

/** Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure in production. */
export function sessionCookie(secret: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${SESSION_COOKIE}=${secret}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${opts.maxAgeSeconds}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}

export interface OpenedSession {
  secret: string;
  caller: Caller;
  expiresAt: Date;
}

/** Opens a session for a valid, unrevoked token; null when the token is not one. */
export async function openSession(db: Knex, token: string, now = new Date()): Promise<OpenedSession | null> {
  const hash = hashToken(token);
  const row = await db('ingest_token').where({ token_hash: hash }).whereNull('revoked_at').first('department', 'token_hash', 'label');
  if (!row || !sameHash(row.token_hash, hash) || !isDepartment(row.department)) return null;
  const secret = newSessionSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db('portal_session').insert({ session_hash: sessionHash(secret), token_hash: hash, token_sealed: sealToken(token, secret), created_at: now, expires_at: expiresAt });
  // Expired sessions are removed as new ones open: the table stays the size of a working day.
  await db('portal_session').where('expires_at', '<', now).delete();
  return { secret, caller: { department: row.department, tokenId: tokenId(hash), tokenLabel: row.label }, expiresAt };
}

export interface SessionFound {
  caller: Caller;
  /** The department token, unsealed with the cookie's secret. */
  token: string;
  expiresAt: Date;
}

/** The live session of a cookie secret: not expired, its token not revoked. */
export async function findSession(db: Knex, secret: string, now = new Date()): Promise<SessionFound | null> {
  const row = await db('portal_session as s')
    .join('ingest_token as t', 't.token_hash', 's.token_hash')
    .where('s.session_hash', sessionHash(secret))
    .where('s.expires_at', '>', now)
    .whereNull('t.revoked_at')
    .first('t.department', 't.token_hash', 't.label', 's.token_sealed', 's.expires_at');
  if (!row || !isDepartment(row.department)) return null;
  const token = unsealToken(row.token_sealed, secret);
  if (token === null || !sameHash(hashToken(token), row.token_hash)) return null;
  return { caller: { department: row.department, tokenId: tokenId(row.token_hash), tokenLabel: row.label }, token, expiresAt: new Date(row.expires_at) };
}

export async function closeSession(db: Knex, secret: string): Promise<void> {
  await db('portal_session').where('session_hash', sessionHash(secret)).delete();
}
