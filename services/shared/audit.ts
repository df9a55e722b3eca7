import crypto from 'node:crypto';
import { Knex } from 'knex';
import { DEPARTMENTS, Department, EVENT_TYPE_LABELS, EventType, isDepartment } from './contract';

/**
 * The audit log (审计日志): who published what, and who read which risk list, employer profile or
 * document. Entries are appended, never changed (the table's triggers refuse UPDATE, DELETE and
 * TRUNCATE), and chained: each stores the SHA-256 of the one before, over the exact text that was
 * hashed, so that `verifyAudit` finds an entry that was edited or removed behind the triggers'
 * back. Removing the newest entries leaves a shorter, intact chain: that is caught only against a
 * head recorded earlier (`expectHead`, printed by every verify).
 */
import { AUDIT_ACTION_LABELS, AuditAction } from './auditLabels';

export { AUDIT_ACTION_LABELS };
export type { AuditAction };
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

/** Who: a department (by its token), or the hub's operators at the command line. */
export type AuditActor = Department | 'operator';

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  /** What: a topic, an ISO week, an employer key, a document's file name. */
  object: string;
  /** Counts and particulars; never a citizen ID (callers pass pseudonymous or aggregate data only). */
  detail?: Record<string, unknown>;
  at?: Date;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: AuditActor;
  action: AuditAction;
  object: string;
  detail: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const LOCK = 'whp-audit-log';

export function chainHash(prevHash: string, body: string): string {
  return crypto.createHash('sha256').update(prevHash, 'utf8').update('\n').update(body, 'utf8').digest('hex');
}

/**
 * Appends entries in one transaction (the caller's, when given one: the entry then commits or
 * rolls back with what it records). Appenders are serialised by an advisory lock held to the
 * end of the transaction, so sequence numbers have no gaps and each entry sees its predecessor.
 */
export async function appendAudit(db: Knex | Knex.Transaction, inputs: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) return;
  const work = async (trx: Knex.Transaction) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const last = await trx('audit_log').orderBy('seq', 'desc').first('seq', 'hash');
    let seq = last ? Number(last.seq) : 0;
    let prev: string = last?.hash ?? GENESIS_HASH;
    const rows = list.map((input) => {
      seq += 1;
      const entry: AuditEntry = { seq, at: (input.at ?? new Date()).toISOString(), actor: input.actor, action: input.action, object: input.object, detail: input.detail ?? {} };
      const body = JSON.stringify(entry);
      const hash = chainHash(prev, body);
      const row = { seq, at: entry.at, actor: entry.actor, action: entry.action, object: entry.object, body, prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    await trx('audit_log').insert(rows);
  };
  if (db.isTransaction) await work(db as Knex.Transaction);
  else await db.transaction(work);
}

export type AuditProblemKind = 'EDITED' | 'MISSING' | 'BROKEN_LINK' | 'HEAD_MISSING';

export interface AuditProblem {
  kind: AuditProblemKind;
  seq: number;
  /** 给运维人员看的说明 */
  message: string;
}

export interface AuditVerdict {
  checked: number;
  head: { seq: number; hash: string } | null;
  problems: AuditProblem[];
}

/** `seq:hash` as printed by verify, to check against later. */
export function parseHead(s: string): { seq: number; hash: string } | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(s.trim());
  return m ? { seq: Number(m[1]), hash: m[2] } : null;
}

/**
 * Walks the whole chain in order. An entry is EDITED when its stored hash is not the hash of its
 * text, or its columns say something other than its text; a link is BROKEN when an entry does not
 * name its predecessor's hash (the predecessor was rewritten, hash and all); entries are MISSING
 * where the numbering jumps.
 */
export async function verifyAudit(db: Knex, opts: { expectHead?: { seq: number; hash: string }; pageSize?: number } = {}): Promise<AuditVerdict> {
  const pageSize = opts.pageSize ?? 5000;
  const problems: AuditProblem[] = [];
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let head: AuditVerdict['head'] = null;
  let headSeen = false;
  for (;;) {
    const rows: { seq: string; at: Date; actor: string; action: string; object: string; body: string; prev_hash: string; hash: string }[] = await db('audit_log')
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(pageSize);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) {
        problems.push({ kind: 'MISSING', seq: expected, message: `第 ${expected}${seq - 1 > expected ? `–${seq - 1}` : ''} 条审计记录缺失（被删除）` });
      }
      if (r.prev_hash !== prevHash && seq === expected) {
        problems.push({ kind: 'BROKEN_LINK', seq, message: `第 ${seq} 条记录的前序哈希与第 ${seq - 1} 条不符：第 ${seq - 1} 条被改写过` });
      }
      if (chainHash(r.prev_hash, r.body) !== r.hash) {
        problems.push({ kind: 'EDITED', seq, message: `第 ${seq} 条记录的内容与其哈希不符：该记录被修改过` });
      } else {
        const e = parseBody(r.body);
        const same = e && e.seq === seq && e.actor === r.actor && e.action === r.action && e.object === r.object && Date.parse(e.at) === r.at.getTime();
        if (!same) problems.push({ kind: 'EDITED', seq, message: `第 ${seq} 条记录的字段（操作者、动作、对象或时间）与其哈希过的内容不符：该记录被修改过` });
      }
      if (opts.expectHead && seq === opts.expectHead.seq) {
        headSeen = true;
        if (r.hash !== opts.expectHead.hash) problems.push({ kind: 'HEAD_MISSING', seq, message: `第 ${seq} 条记录的哈希与此前记下的链头不同：链被改写过` });
      }
      prevHash = r.hash;
      expected = seq + 1;
      checked += 1;
      head = { seq, hash: r.hash };
    }
  }
  if (opts.expectHead && !headSeen) {
    problems.push({ kind: 'HEAD_MISSING', seq: opts.expectHead.seq, message: `此前记下的链头（第 ${opts.expectHead.seq} 条）已不在日志中：末尾的记录被删除` });
  }
  return { checked, head, problems };
}

function parseBody(body: string): AuditEntry | null {
  try {
    return JSON.parse(body) as AuditEntry;
  } catch {
    return null;
  }
}

export interface AuditQuery {
  actor?: AuditActor;
  action?: AuditAction;
  /** Inclusive bounds on the entry's time. */
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** An entry as a person reads it (the console, hrss): Chinese names beside the codes. */
export interface AuditView extends AuditEntry {
  actorName: string;
  actionName: string;
  summary: string;
}

export async function listAudit(db: Knex, q: AuditQuery): Promise<{ total: number; entries: AuditView[] }> {
  const base = db('audit_log').modify((b) => {
    if (q.actor) b.where('actor', q.actor);
    if (q.action) b.where('action', q.action);
    if (q.from) b.where('at', '>=', q.from);
    if (q.to) b.where('at', '<=', q.to);
  });
  const [{ n }] = await base.clone().count<{ n: string }[]>({ n: '*' });
  const rows: { body: string }[] = await base.clone().orderBy('seq', 'desc').limit(q.limit).offset(q.offset).select('body');
  return { total: Number(n), entries: rows.map((r) => view(JSON.parse(r.body) as AuditEntry)) };
}

export function actorName(actor: string): string {
  if (actor === 'operator') return '运维人员';
  return isDepartment(actor) ? DEPARTMENTS[actor] : actor;
}

/** One line a person reads: 应急管理局报送事故 120 条（接收 118，重复 1，拒收 1）. */
export function view(e: AuditEntry): AuditView {
  const d = e.detail;
  let summary: string;
  switch (e.action) {
    case 'PUBLISH': {
      const type = EVENT_TYPE_LABELS[d.type as EventType] ?? String(d.type);
      summary = `报送${type}：接收 ${d.accepted ?? 0} 条（其中更正 ${d.corrected ?? 0}），重复 ${d.duplicates ?? 0}，拒收 ${d.rejected ?? 0}`;
      break;
    }
    case 'READ_RISK_LIST':
      summary = `查阅 ${e.object} 风险清单${d.format ? `（${String(d.format).toUpperCase()}）` : ''}`;
      break;
    case 'READ_EMPLOYER':
      summary = `查阅单位档案 ${d.name ? `${d.name}（${e.object}）` : e.object}`;
      break;
    case 'READ_DOCUMENT':
      summary = `查阅文书 ${d.number ?? e.object}`;
      break;
    case 'READ_AUDIT':
      summary = '查阅审计日志';
      break;
    case 'TOKEN_ISSUE':
      summary = `为${actorName(String(d.department))}签发令牌（${d.label ?? ''}）`;
      break;
    case 'TOKEN_REVOKE':
      summary = `停用令牌 ${e.object}（${d.label ?? ''}）`;
      break;
    default:
      summary = e.action;
  }
  return { ...e, actorName: actorName(e.actor), actionName: AUDIT_ACTION_LABELS[e.action] ?? e.action, summary };
}
