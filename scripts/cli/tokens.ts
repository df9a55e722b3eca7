/**
 * `whp tokens` — department tokens for production, run by the hub's operators where
 * DATABASE_URL (and its TLS settings) reach the hub's database:
 *
 *   whp tokens issue --dept emergency --label 应急局接口   prints the new token once (stdout)
 *   whp tokens list                                        id, department, label, created, revoked
 *   whp tokens revoke <id|label>                           sets revoked_at; the gateway and portal refuse it at once
 *
 * The database keeps only each token's SHA-256; nothing here prints a full hash.
 * Exit status: 0 done · 1 refused (unknown token, label taken …) · 2 usage error.
 */
import { parseArgs } from 'node:util';
import { Knex } from 'knex';
import { issueToken, listTokens, revokeToken } from '../../services/shared/auth';
import { loadConfig } from '../../services/shared/config';
import { DEPARTMENTS, isDepartment } from '../../services/shared/contract';
import { createDb, migrate } from '../../services/shared/db';
import { HubError } from '../../services/shared/errors';
import { formatTable } from './whp';

export const TOKENS_USAGE = `用法 (usage):
  whp tokens issue --dept <部门代码> --label <标签>   签发令牌（只显示这一次）
  whp tokens list                                     列出令牌：编号、部门、标签、签发时间、停用时间
  whp tokens revoke <编号|标签>                        停用令牌

  --dept   ${Object.keys(DEPARTMENTS).join(' | ')}
  数据库由 DATABASE_URL（及 DATABASE_SSL 等）指定，与各服务相同。`;

const beijing = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(d)
    .replace(/\//g, '-');

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export async function tokensCommand(argv: string[], io: Io, db?: Knex): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { dept: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${TOKENS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (!sub || values.help || !['issue', 'list', 'revoke'].includes(sub)) {
    if (sub && !values.help && sub !== 'help') io.err(`未知的子命令“${sub}”`);
    io.err(TOKENS_USAGE);
    return sub && (values.help || sub === 'help') ? 0 : 2;
  }
  if (sub === 'issue') {
    if (!values.dept || !isDepartment(values.dept)) {
      io.err(`请用 --dept 指定部门代码（${Object.keys(DEPARTMENTS).join('、')}）\n\n${TOKENS_USAGE}`);
      return 2;
    }
    if (!values.label?.trim()) {
      io.err(`请用 --label 写明令牌的用途或使用方（例如“应急局接口”）\n\n${TOKENS_USAGE}`);
      return 2;
    }
  }
  if (sub === 'revoke' && positionals.length !== 1) {
    io.err(`请指定一个要停用的令牌编号或标签\n\n${TOKENS_USAGE}`);
    return 2;
  }

  const own = !db;
  const conn = db ?? createDb(loadConfig(), 1);
  try {
    if (own) await migrate(conn);
    if (sub === 'issue') {
      const dept = values.dept as keyof typeof DEPARTMENTS;
      const token = await issueToken(conn, dept, values.label!);
      io.err(`已为${DEPARTMENTS[dept]}（${dept}）签发令牌“${values.label!.trim()}”。令牌只显示这一次，枢纽只保存其散列值：请通过安全渠道交给该部门，丢失后只能停用并重新签发。`);
      io.out(token);
      return 0;
    }
    if (sub === 'list') {
      const tokens = await listTokens(conn);
      if (tokens.length === 0) {
        io.out('暂无令牌。');
        return 0;
      }
      io.out(
        formatTable(
          ['编号 id', '部门 department', '标签 label', '签发 created', '停用 revoked'],
          tokens.map((t) => [t.id, `${t.department} ${DEPARTMENTS[t.department] ?? ''}`.trim(), t.label, beijing(t.createdAt), t.revokedAt ? beijing(t.revokedAt) : '—']),
        ),
      );
      return 0;
    }
    const { token, alreadyRevoked } = await revokeToken(conn, positionals[0]);
    const what = `${token.id}（${token.department}，${token.label}）`;
    io.out(alreadyRevoked ? `令牌 ${what} 已于 ${beijing(token.revokedAt!)} 停用，无需再次停用。` : `已停用令牌 ${what}：使用它的请求从现在起得到 401。`);
    return 0;
  } catch (err) {
    if (err instanceof HubError && err.code !== 'INTERNAL' && err.code !== 'DEPENDENCY_UNAVAILABLE') {
      io.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    if (own) await conn.destroy();
  }
}
