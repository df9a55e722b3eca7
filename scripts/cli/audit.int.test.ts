import { spawn } from 'node:child_process';
import path from 'node:path';
import { Knex } from 'knex';
import { connectStack, Stack } from '../../test/stack';
import { appendAudit } from '../../services/shared/audit';

/**
 * `whp audit verify` as an operator runs it (a child process on a fresh database), against a log
 * tampered with as someone who can get round the table's triggers would: a superuser.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
});
afterAll(async () => {
  await stack?.close();
});

function whp(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(__dirname, '..', 'whp.sh'), ...args], { env: { ...process.env, DATABASE_URL: stack.config.databaseUrl, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a superuser can do: switch the append-only triggers off for one statement. */
async function behindTheTriggers(db: Knex, sql: string, bindings: unknown[] = []): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('alter table audit_log disable trigger user');
    await trx.raw(sql, bindings as Knex.RawBinding[]);
    await trx.raw('alter table audit_log enable trigger user');
  });
}

async function fillLog(n: number) {
  for (let i = 1; i <= n; i++) {
    await appendAudit(stack.db, { actor: i % 2 ? 'hrss' : 'health', action: i % 2 ? 'READ_RISK_LIST' : 'READ_EMPLOYER', object: `object-${i}` });
  }
}

test('an intact log verifies, and verify prints the head to write down', async () => {
  await fillLog(6);
  const r = await whp(['audit', 'verify']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('审计日志核验通过：已核对 6 条记录');
  expect(r.stdout).toMatch(/链头.*：6:[0-9a-f]{64}/);
});

test('an edited entry is found: verify names it and exits 1', async () => {
  // Health's read of object-4 rewritten as somebody else's.
  await behindTheTriggers(stack.db, `update audit_log set actor = 'union', body = replace(body, '"actor":"health"', '"actor":"union"') where seq = 4`);
  const r = await whp(['audit', 'verify']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('审计日志核验未通过');
  expect(r.stdout).toContain('第 4 条记录的内容与其哈希不符');
});

test('an entry rewritten with a freshly computed hash breaks the link to the next one', async () => {
  await behindTheTriggers(
    stack.db,
    `update audit_log set hash = encode(sha256(convert_to(prev_hash || E'\\n' || body, 'UTF8')), 'hex') where seq = 4`,
  );
  const r = await whp(['audit', 'verify']);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toContain('第 4 条记录的内容与其哈希不符');
  expect(r.stdout).toContain('第 5 条记录的前序哈希与第 4 条不符');
});

test('a removed entry is found where the numbering jumps', async () => {
  await behindTheTriggers(stack.db, 'delete from audit_log where seq = 2');
  const r = await whp(['audit', 'verify']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('第 2 条审计记录缺失');
});

test('entries removed from the end are found against the head written down before', async () => {
  const before = await whp(['audit', 'verify']);
  const head = /链头.*：(\d+:[0-9a-f]{64})/.exec(before.stdout)![1];
  await fillLog(1);
  // (The log is already damaged above; what matters here is that the head is not reported gone.)
  expect((await whp(['audit', 'verify', '--head', head])).stdout).not.toContain('链头（第 6 条）已不在');
  await behindTheTriggers(stack.db, 'delete from audit_log where seq >= 6');
  const r = await whp(['audit', 'verify', '--head', head]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('此前记下的链头（第 6 条）已不在日志中');
});

test('a malformed --head is a usage error in Chinese', async () => {
  const r = await whp(['audit', 'verify', '--head', 'yesterday']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--head 应为“序号:哈希”');
});
