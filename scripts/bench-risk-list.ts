/**
 * Benchmark (not a test): the weekly risk list of a synthetic province.
 *
 *   npx tsx scripts/bench-risk-list.ts [--employers 1000000] [--keep]
 *
 * Creates a fresh database beside DATABASE_URL's, bulk-loads the correlator's state with
 * set-based SQL (generate_series; no Kafka): N employers with their aliases, ~5% of them with
 * open alerts (PRIORITY for 2.5%), their facts (enrollments, hazard measurements, accidents,
 * injuries, projects), closed alerts and recommendations, plus one enrollment fact for every
 * other employer; then times buildRiskList + writeRiskListXlsx and reports the Node process's
 * peak RSS against the target (< 60 s, < 1 GiB). The database is dropped afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFreshDatabase } from '../test/stack';
import { loadConfig } from '../services/shared/config';
import { createDb, migrate } from '../services/shared/db';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { buildRiskList } from '../services/reporter/riskList';
import { writeRiskListXlsx } from '../services/reporter/render/riskListXlsx';

const TARGET_MS = 60_000;
const TARGET_RSS = 1024 ** 3;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function timed<T>(label: string, f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await f();
  const ms = Date.now() - t;
  console.log(`  ${label.padEnd(44)} ${secs(ms)}`);
  return { value, ms };
}

async function main() {
  const n = arg('employers', 1_000_000);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const region = loadRegionConfig();
  const fresh = await createFreshDatabase(config.databaseUrl);
  const db = createDb(fresh.url, 2);
  const file = path.join(os.tmpdir(), `whp-bench-risklist-${process.pid}.xlsx`);
  console.log(`合成省份：${n.toLocaleString()} 家用人单位（数据库 ${new URL(fresh.url).pathname.slice(1)}）`);
  try {
    await migrate(db);
    const districts = Object.keys(region.districts);
    const industries = ['C3011', 'C3032', 'B0610', 'E4710', 'G5430', 'C2614', 'C1711', 'F5123', 'H6210', 'C3311'];
    const asOf = new Date('2026-11-22T16:00:00Z'); // end of 2026-W47
    const load = Date.now();
    console.log('装载（set-based SQL）：');
    // The employer key of i: an 18-character USCC-shaped code, unique per i.
    const key = (i: string) => `'91' || lpad((${i})::text, 16, '0')`;
    await timed('employer + employer_alias', async () => {
      await db.raw(
        `insert into employer (employer_key, uscc, name, normalized_name, region_code, industry_code, headcount, headcount_as_of)
         select ${key('i')}, ${key('i')}, '示例单位' || i || '有限公司', '示例单位' || i, (?::text[])[1 + i % ?], (?::text[])[1 + i % ?],
                20 + i % 480, date '2026-09-30'
         from generate_series(1, ?) i`,
        [districts, districts.length, industries, industries.length, n],
      );
      await db.raw(`insert into employer_alias (raw_key, canonical_key, confidence, method) select employer_key, employer_key, 1, 'SELF' from employer`);
    });
    // Listed: i % 20 = 0 (5%). PRIORITY + HAZARD_EXCEEDED: i % 40 = 0. ACCIDENT_PRONE: i % 60 = 0.
    await timed('alerts (open and closed) + recommendations', async () => {
      await db.raw(
        `insert into alert (alert_id, employer_key, rule, status, close_reason, severity, score, explanation, evidence, routed_to, opened_at, updated_at, closed_at)
         select 'ALT-' || r.rule || '-' || i, ${key('i')}, r.rule, r.status, r.reason, 'HIGH', r.base + (i % 97) / 4.0,
                '合成预警', '[]'::jsonb, array['hrss'], timestamptz '2026-10-01T00:00:00Z' + (i % 40) * interval '1 day',
                timestamptz '2026-10-01T00:00:00Z', r.closed
         from generate_series(1, ?) i
         cross join lateral (values
           ('UNDER_INSURED', 'OPEN', null, 40, null::timestamptz, i % 20 = 0),
           ('HAZARD_EXCEEDED', 'OPEN', null, 60, null, i % 40 = 0),
           ('PRIORITY', 'OPEN', null, 80, null, i % 40 = 0),
           ('ACCIDENT_PRONE', 'OPEN', null, 55, null, i % 60 = 0),
           ('UNINSURED', 'CLOSED', 'CONDITION_ENDED', 30, timestamptz '2026-11-01T00:00:00Z', i % 20 = 10),
           ('HAZARD_EXCEEDED', 'CLOSED', 'SUPERSEDED', 30, timestamptz '2026-11-01T00:00:00Z', i % 50 = 7)
         ) as r(rule, status, reason, base, closed, applies)
         where r.applies`,
        [n],
      );
      await db.raw(
        `insert into recommendation (recommendation_id, alert_id, employer_key, rule, kind, departments, issued_at, deadline, status, text)
         select 'REC-' || a.alert_id, a.alert_id, a.employer_key, a.rule, 'RECTIFY', array['health'], date '2026-10-15',
                date '2026-11-14' + (length(a.alert_id) % 30), 'OPEN', '合成整改建议'
         from alert a where a.rule in ('HAZARD_EXCEEDED', 'PRIORITY') and a.status = 'OPEN'`,
      );
    });
    await timed('facts of listed employers', async () => {
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'hrss', 'enrollment', 'ENR-' || i || '-' || p, ${key('i')},
                timestamptz '2025-01-01T00:00:00+08:00' + p * interval '7 days',
                jsonb_build_object('personId', 'psn_' || i || '_' || (p % 12), 'action', case when p % 5 = 4 then 'TERMINATE' else 'ENROLL' end,
                                   'effectiveDate', to_char(date '2025-01-01' + p * 7, 'YYYY-MM-DD'), 'dustExposed', p % 2 = 0)
         from generate_series(20, ?, 20) i, generate_series(1, 16) p`,
        [n],
      );
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'health', 'hazard', 'HAZ-' || i || '-' || h, ${key('i')},
                timestamptz '2026-03-01T00:00:00+08:00' + h * interval '60 days',
                jsonb_build_object('factor', case when h % 2 = 0 then '矽尘' else '噪声' end, 'measured', 0.5 + (i % 7) * 0.3 + h * 0.1,
                                   'limit', 0.7, 'unit', 'mg/m³', 'post', '岗位')
         from generate_series(40, ?, 40) i, generate_series(1, 3) h`,
        [n],
      );
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'emergency', 'accident', 'ACC-' || i || '-' || a, ${key('i')},
                timestamptz '2026-01-15T02:00:00Z' + a * interval '70 days',
                jsonb_build_object('deaths', case when a = 3 and i % 120 = 0 then 1 else 0 end, 'category', 6)
         from generate_series(60, ?, 60) i, generate_series(1, 3) a`,
        [n],
      );
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'hrss', 'injury', 'INJ-' || i, ${key('i')}, timestamptz '2026-06-01T00:00:00+08:00',
                jsonb_build_object('personId', 'psn_' || i || '_x', 'insuredAtInjury', false)
         from generate_series(100, ?, 100) i`,
        [n],
      );
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'housing', 'project', 'PRJ-' || i, ${key('i')}, timestamptz '2026-04-01T00:00:00+08:00',
                jsonb_build_object('projectId', 'P-' || i, 'insuranceCertificate', null)
         from generate_series(80, ?, 80) i`,
        [n],
      );
    });
    await timed('one enrollment fact of every other employer', async () => {
      await db.raw(
        `insert into fact (department, event_type, event_id, raw_key, event_time, payload)
         select 'hrss', 'enrollment', 'ENR-' || i, ${key('i')}, timestamptz '2026-01-01T00:00:00+08:00',
                jsonb_build_object('personId', 'psn_' || i, 'action', 'ENROLL', 'effectiveDate', '2026-01-01', 'dustExposed', false)
         from generate_series(1, ?) i where i % 20 <> 0`,
        [n],
      );
    });
    await timed('analyze', () => db.raw('analyze'));
    const counts = await db.raw(`select (select count(*) from fact) facts, (select count(*) from alert) alerts, (select count(*) from recommendation) recs`);
    const c = counts.rows[0];
    console.log(`  装载合计 ${secs(Date.now() - load)}：事实 ${Number(c.facts).toLocaleString()} 条，预警 ${Number(c.alerts).toLocaleString()} 条，整改建议 ${Number(c.recs).toLocaleString()} 条`);

    peakRss = process.memoryUsage().rss;
    const rssBefore = peakRss;
    console.log('生成风险清单：');
    const t0 = Date.now();
    const { value: list, ms: buildMs } = await timed('buildRiskList', () => buildRiskList(db, region, '2026-W47', asOf, asOf));
    const { ms: xlsxMs } = await timed('writeRiskListXlsx', () => writeRiskListXlsx(list, file));
    const total = Date.now() - t0;
    const size = fs.statSync(file).size;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log('');
    console.log(`结果：上榜 ${list.rows.length.toLocaleString()} 家（重点 ${list.rows.filter((r) => r.priority).length.toLocaleString()} 家），XLSX ${mib(size)}`);
    console.log(`  用时 ${secs(total)}（查询 ${secs(buildMs)} + XLSX ${secs(xlsxMs)}），目标 < ${secs(TARGET_MS)}：${total < TARGET_MS ? '达标' : '未达标'}`);
    console.log(`  峰值 RSS ${mib(peakRss)}（装载后基线 ${mib(rssBefore)}），目标 < ${mib(TARGET_RSS)}：${peakRss < TARGET_RSS ? '达标' : '未达标'}`);
    console.log('  （峰值 RSS 是本 Node 进程的；PostgreSQL 服务器的内存不计在内。）');
  } finally {
    clearInterval(sampler);
    fs.rmSync(file, { force: true });
    await db.destroy();
    if (!process.argv.includes('--keep')) await fresh.drop();
    else console.log(`保留数据库：${fresh.url}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
