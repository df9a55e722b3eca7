import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { createFreshDatabase } from '../../test/stack';
import { feed, scenario } from '../../test/fixtures/events';
import { makeUscc } from '../../test/fixtures/uscc';
import { issueToken } from '../../services/shared/auth';
import { loadConfig } from '../../services/shared/config';
import { createDb, migrate } from '../../services/shared/db';
import { loadRegionConfig } from '../../services/shared/regionConfig';
import { sweep } from '../../services/correlator/sweep';

/**
 * backup.sh → restore.sh against the real PostgreSQL: a database with the hub's tables filled
 * through the correlator's batch processor is dumped, restored into a new database, and every
 * table's rows are compared.
 */
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const region = loadRegionConfig({});
let source: { url: string; drop: () => Promise<void> };
let db: Knex;
let dir: string;
let restoredName: string;
let restoredUrl: string;

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(__dirname, script), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function tableCounts(k: Knex): Promise<Record<string, number>> {
  const tables: { tablename: string }[] = (await k.raw("select tablename from pg_tables where schemaname = 'public' order by 1")).rows;
  const out: Record<string, number> = {};
  for (const { tablename } of tables) out[tablename] = Number((await k(tablename).count<{ n: string }[]>('* as n'))[0].n);
  return out;
}

beforeAll(async () => {
  source = await createFreshDatabase(config.databaseUrl);
  db = createDb(source.url, 2);
  await migrate(db);
  const uscc = makeUscc(`backup-${randomUUID()}`);
  const e = scenario(uscc, '2026-01-01', '宿迁备份测试建材有限公司');
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
  await feed(db, region, [e.employer('2026-01-01', 30), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 3, 1, { received: '2026-03-10' }), e.accident('2026-03-12', { deaths: 1, received: '2026-03-12' })], at('2026-03-20'));
  await sweep(db, region, at('2026-03-20'));
  await issueToken(db, 'emergency', '应急局接口');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-backup-'));
  restoredName = `whp_restore_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const u = new URL(source.url);
  u.pathname = `/${restoredName}`;
  restoredUrl = u.toString();
});
afterAll(async () => {
  await db?.destroy();
  const admin = createDb(config.databaseUrl, 1);
  await admin.raw(`drop database if exists ${restoredName} with (force)`).catch(() => {});
  await admin.destroy();
  await source?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('backup → restore into a new database: every table has the same rows, and the data is the same', async () => {
  const before = await tableCounts(db);
  // Not a comparison of empty tables: the hub's main tables hold rows.
  for (const t of ['fact', 'employer', 'alert', 'recommendation', 'outbox', 'ingest_token', 'consumer_offset', 'knex_migrations']) {
    expect({ table: t, empty: !(before[t] > 0) }).toEqual({ table: t, empty: false });
  }

  const backup = await run('backup.sh', [dir], { DATABASE_URL: source.url });
  expect(backup.stderr).toMatch(/已备份/);
  expect(backup.code).toBe(0);
  const dump = backup.stdout.trim();
  expect(path.dirname(dump)).toBe(dir);
  expect(path.basename(dump)).toMatch(/^whp-\d{8}T\d{6}\.\d{3}Z\.dump$/);
  expect(fs.readFileSync(dump).subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format

  const restore = await run('restore.sh', [dump, restoredName], { DATABASE_URL: source.url });
  expect(restore.code).toBe(0);
  expect(restore.stderr).toMatch(new RegExp(`已恢复到数据库 ${restoredName}`));

  const restored = createDb(restoredUrl, 1);
  try {
    expect(await tableCounts(restored)).toEqual(before);
    const alerts = (k: Knex) => k('alert').select('alert_id', 'rule', 'status', 'version', 'explanation').orderBy('alert_id');
    expect(await alerts(restored)).toEqual(await alerts(db));
    expect(await restored('ingest_token').where({ label: '应急局接口' }).first('token_hash')).toEqual(await db('ingest_token').where({ label: '应急局接口' }).first('token_hash'));
  } finally {
    await restored.destroy();
  }

  // Never over an existing database.
  const again = await run('restore.sh', [dump, restoredName], { DATABASE_URL: source.url });
  expect(again.code).not.toBe(0);
  expect(again.stderr).toMatch(/已存在：恢复只写入新数据库/);
});

test('retention: only the newest WHP_BACKUP_KEEP dumps of the prefix stay; other prefixes are left alone', async () => {
  const keepDir = fs.mkdtempSync(path.join(dir, 'keep-'));
  const registryDump = path.join(keepDir, 'whp_registry-20260101T000000.000Z.dump');
  fs.writeFileSync(registryDump, 'other prefix');
  const made: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await run('backup.sh', [keepDir], { DATABASE_URL: source.url, WHP_BACKUP_KEEP: '2' });
    expect(r.code).toBe(0);
    made.push(r.stdout.trim());
  }
  expect(new Set(made).size).toBe(3);
  expect(fs.readdirSync(keepDir).sort()).toEqual([...made.slice(1).map((f) => path.basename(f)), path.basename(registryDump)].sort());

  const bad = await run('backup.sh', [keepDir], { DATABASE_URL: source.url, WHP_BACKUP_KEEP: 'all' });
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/WHP_BACKUP_KEEP 应为正整数/);
});
