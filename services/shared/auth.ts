import crypto from 'node:crypto';
import { Knex } from 'knex';
import { Environment } from './config';
import { DEPARTMENTS, Department, isDepartment } from './contract';
import { HubError } from './errors';
import { appendAudit } from './audit';

/** Bearer tokens → department. Only the SHA-256 of a token is stored or compared. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The label of the dev tokens: reserved, and removed when a database starts in production. */
export const DEV_LABEL = 'dev';

/**
 * dev: every department gets `dev-<code>`. production: there are no dev tokens, and any left
 * in a database that once ran as dev are removed.
 */
export async function prepareTokens(db: Knex, env: Environment): Promise<void> {
  if (env === 'production') {
    await db('ingest_token').where({ label: DEV_LABEL }).delete();
    return;
  }
  const rows = Object.keys(DEPARTMENTS).map((d) => ({ token_hash: hashToken(`dev-${d}`), department: d, label: DEV_LABEL }));
  await db('ingest_token').insert(rows).onConflict('token_hash').ignore();
}

/**
 * A token's public id: the first 12 hex digits of its hash. Enough to tell tokens apart in
 * `whp tokens list` and to revoke one, useless for finding the token (a 48-bit prefix of a
 * SHA-256 of 192 random bits) — the full hash is never shown.
 */
export const TOKEN_ID_LENGTH = 12;
export function tokenId(tokenHash: string): string {
  return tokenHash.slice(0, TOKEN_ID_LENGTH);
}

export const MAX_LABEL_LENGTH = 64; // ingest_token.label is varchar(64)

/**
 * A new random token for a department (192 bits); the caller hands it over once, the hub keeps
 * only the hash. The label says whose it is (应急局接口, 住建局报表岗); while a token with that
 * label is active no other may take it, so that `revoke <label>` names one token.
 */
export async function issueToken(db: Knex, department: Department, label: string): Promise<string> {
  const name = label.trim();
  if (!name) throw new HubError('BAD_REQUEST', '请为令牌指定标签（用途或使用方，例如“应急局接口”）');
  if (name === DEV_LABEL) throw new HubError('BAD_REQUEST', `标签“${DEV_LABEL}”保留给开发令牌，请换一个标签`);
  if ([...name].length > MAX_LABEL_LENGTH) throw new HubError('BAD_REQUEST', `标签最长 ${MAX_LABEL_LENGTH} 个字符，实际为 ${[...name].length} 个`);
  const token = `whp_${crypto.randomBytes(24).toString('base64url')}`;
  await db.transaction(async (trx) => {
    // Serialise issuers so that two cannot take the same label at once.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['whp-ingest-token-label']);
    const taken = await trx('ingest_token').where({ label: name }).whereNull('revoked_at').first('department');
    if (taken) throw new HubError('BAD_REQUEST', `标签“${name}”已被${DEPARTMENTS[taken.department as Department] ?? taken.department}的有效令牌使用，请换一个标签或先停用原令牌`, { label: name });
    await trx('ingest_token').insert({ token_hash: hashToken(token), department, label: name });
    await appendAudit(trx, { actor: 'operator', action: 'TOKEN_ISSUE', object: tokenId(hashToken(token)), detail: { department, label: name } });
  });
  return token;
}

export interface TokenInfo {
  id: string;
  department: Department;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

function info(r: { token_hash: string; department: Department; label: string; created_at: Date; revoked_at: Date | null }): TokenInfo {
  return { id: tokenId(r.token_hash), department: r.department, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** Every token, oldest first: department, label, created, revoked — never the token or its full hash. */
export async function listTokens(db: Knex): Promise<TokenInfo[]> {
  const rows = await db('ingest_token').select('token_hash', 'department', 'label', 'created_at', 'revoked_at').orderBy([{ column: 'created_at' }, { column: 'label' }]);
  return rows.map(info);
}

/**
 * Revokes the token with this id (as `listTokens` shows it, or a longer prefix of its hash) or
 * this label (the active token with it). Unknown or ambiguous: NOT_FOUND / BAD_REQUEST naming
 * the candidates. Revoking a revoked token changes nothing and says when it was revoked.
 */
export async function revokeToken(db: Knex, idOrLabel: string): Promise<{ token: TokenInfo; alreadyRevoked: boolean }> {
  const key = idOrLabel.trim();
  if (!key) throw new HubError('BAD_REQUEST', '请指定要停用的令牌编号或标签');
  return db.transaction(async (trx) => {
    const byId = /^[0-9a-f]{8,64}$/.test(key) ? await trx('ingest_token').where('token_hash', 'like', `${key}%`).forUpdate() : [];
    let rows = byId;
    if (rows.length === 0) {
      rows = await trx('ingest_token').where({ label: key }).whereNull('revoked_at').forUpdate();
      if (rows.length === 0) rows = await trx('ingest_token').where({ label: key }).orderBy('revoked_at', 'desc').limit(1).forUpdate();
    }
    if (rows.length === 0) throw new HubError('NOT_FOUND', `没有编号或标签为“${key}”的令牌（whp tokens list 列出全部令牌）`);
    if (rows.length > 1) {
      throw new HubError('BAD_REQUEST', `“${key}”对应多个令牌（${rows.map((r) => tokenId(r.token_hash)).join('、')}），请用更长的编号指定其中一个`);
    }
    const row = rows[0];
    if (row.revoked_at) return { token: info(row), alreadyRevoked: true };
    const [updated] = await trx('ingest_token').where({ token_hash: row.token_hash }).update({ revoked_at: trx.fn.now() }).returning('*');
    await appendAudit(trx, { actor: 'operator', action: 'TOKEN_REVOKE', object: tokenId(row.token_hash), detail: { department: row.department, label: row.label } });
    return { token: info(updated), alreadyRevoked: false };
  });
}

/** Constant-time equality of two hex SHA-256 digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && crypto.timingSafeEqual(x, y);
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

/** Who is calling: the department, and which of its tokens (public id and label) for the audit log. */
export interface Caller {
  department: Department;
  tokenId: string;
  tokenLabel: string;
}

export async function callerOf(db: Knex, authorization: string | undefined): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) throw new HubError('UNAUTHENTICATED', '缺少身份令牌：请在请求头中提供 Authorization: Bearer <令牌>');
  // The lookup is by the token's SHA-256: what an index lookup's timing could tell is about the
  // hash of the caller's own guess, which says nothing about a valid token (192 random bits, a
  // preimage would be needed). The found hash is compared again in constant time all the same,
  // so that no comparison in the hub's code depends on how many leading characters match.
  const hash = hashToken(token);
  const row = await db('ingest_token').where({ token_hash: hash }).whereNull('revoked_at').first('department', 'token_hash', 'label');
  if (!row || !sameHash(row.token_hash, hash) || !isDepartment(row.department)) throw new HubError('UNAUTHENTICATED', '身份令牌无效或已停用');
  return { department: row.department, tokenId: tokenId(row.token_hash), tokenLabel: row.label };
}

export async function departmentOf(db: Knex, authorization: string | undefined): Promise<Department> {
  return (await callerOf(db, authorization)).department;
}
