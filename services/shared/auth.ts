import crypto from 'node:crypto';
import { Knex } from 'knex';
import { Environment } from './config';
import { DEPARTMENTS, Department, isDepartment } from './contract';
import { HubError } from './errors';

/** Bearer tokens → department. Only the SHA-256 of a token is stored or compared. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

const DEV_LABEL = 'dev';

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

/** A new random token for a department; the caller hands it over, the hub keeps the hash. */
export async function issueToken(db: Knex, department: Department, label: string): Promise<string> {
  const token = `whp_${crypto.randomBytes(24).toString('base64url')}`;
  await db('ingest_token').insert({ token_hash: hashToken(token), department, label });
  return token;
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

export async function departmentOf(db: Knex, authorization: string | undefined): Promise<Department> {
  const token = bearerToken(authorization);
  if (!token) throw new HubError('UNAUTHENTICATED', '缺少身份令牌：请在请求头中提供 Authorization: Bearer <令牌>');
  const row = await db('ingest_token').where({ token_hash: hashToken(token) }).whereNull('revoked_at').first('department');
  if (!row || !isDepartment(row.department)) throw new HubError('UNAUTHENTICATED', '身份令牌无效或已停用');
  return row.department;
}
