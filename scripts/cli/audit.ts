/**
 * `whp audit verify [--head <seq:hash>]` — checks the audit log's hash chain (services/shared/audit.ts)
 * where DATABASE_URL reaches the hub's database. Prints how many entries it checked and the head
 * to write down; with --head, also that the head written down last time is still there (entries
 * removed from the end leave an intact but shorter chain).
 * Exit status: 0 intact · 1 edited, removed or broken entries found · 2 usage error.
 */
import { parseArgs } from 'node:util';
import { Knex } from 'knex';
import { parseHead, verifyAudit } from '../../services/shared/audit';
import { loadConfig } from '../../services/shared/config';
import { createDb, migrate } from '../../services/shared/db';
import type { Io } from './tokens';

export const AUDIT_USAGE = `用法 (usage):
  whp audit verify [--head <序号:哈希>]   核验审计日志的哈希链；--head 为上次核验时记下的链头

  数据库由 DATABASE_URL（及 DATABASE_SSL 等）指定，与各服务相同。`;

export async function auditCommand(argv: string[], io: Io, db?: Knex): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { head?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: { head: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  if (sub !== 'verify' || values.help) {
    if (sub && sub !== 'help' && !values.help) io.err(`未知的子命令“${sub}”`);
    io.err(AUDIT_USAGE);
    return values.help || sub === 'help' ? 0 : 2;
  }
  const expectHead = values.head === undefined ? undefined : parseHead(values.head);
  if (expectHead === null) {
    io.err(`--head 应为“序号:哈希”（64 位十六进制），如 1234:9f86d0…，实际为“${values.head}”\n\n${AUDIT_USAGE}`);
    return 2;
  }
  const own = !db;
  const conn = db ?? createDb(loadConfig(), 1);
  try {
    if (own) await migrate(conn);
    const v = await verifyAudit(conn, { expectHead });
    if (v.problems.length === 0) {
      io.out(`审计日志核验通过：已核对 ${v.checked.toLocaleString('en-US')} 条记录，哈希链完整${expectHead ? `，上次记下的链头（第 ${expectHead.seq} 条）仍在` : ''}。`);
    } else {
      io.out(`审计日志核验未通过：已核对 ${v.checked.toLocaleString('en-US')} 条记录，发现 ${v.problems.length} 处问题：`);
      for (const p of v.problems) io.out(`  · ${p.message}`);
    }
    if (v.head) io.out(`链头（请记下，下次用 --head 核对末尾记录未被删除）：${v.head.seq}:${v.head.hash}`);
    return v.problems.length === 0 ? 0 : 1;
  } finally {
    if (own) await conn.destroy();
  }
}
