/**
 * `npm run demo`: the hub's main job on the local stack, narrated.
 *   1. contract: topics, schemas, database
 *   2. a synthetic city (宿迁-like, seeded) written as each department's quarterly files
 *   3. every department publishes its files through the ingest gateway (per-department summary)
 *   4. the correlator combines them per employer and flags employers (with their reasons)
 *   5. the reporter writes the weekly risk list, a 限期整改建议书 and a 通报 (paths printed)
 *   6. the plan's other instruments: 浮动费率 suggestions, the quarter's 双随机 plan and 回头看 list,
 *      the list's precision against random inspections, training coverage (XLSX written)
 *   7. the hub keeps running (gateway :8080, correlator, reporter, portal :8090) until Ctrl-C;
 *      `-- --exit` stops here.
 * Options: --employers N (default 600), --seed S (default 42), --exit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../services/shared/config';
import { createLogger } from '../services/shared/logger';
import { DEPARTMENTS, Department, topicOf, EVENT_TYPES } from '../services/shared/contract';
import { createKafka } from '../services/shared/kafka';
import { startGateway } from '../services/ingest-gateway/gateway';
import { startCorrelator } from '../services/correlator/correlator';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { startPortal } from '../services/portal/portal';
import { startReporter } from '../services/reporter/reporter';
import { writeCity } from './city/generate';
import { publishCity, publishSummaryTable } from './city/publish';
import { formatTable } from './city/table';
import { PROBLEM_LABELS, ProblemRule, RECOMMENDATION_KIND_LABELS, RECOMMENDATION_STATUS_LABELS, RULE_LABELS, RecommendationKind, RecommendationStatus, RuleId } from '../services/shared/catalog';
import { reportArtifacts } from './demo-report';
import { buildInstrument } from '../services/reporter/instruments';
import { instrumentSummary } from '../services/reporter/instruments/summary';
import { lastCycle } from '../services/reporter/instruments/rateAdjustment';
import { storedInstrument } from '../services/shared/storedInstruments';
import { quarterOf, shanghaiDay } from '../services/shared/time';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const employers = Number(opt('employers', '600'));
const seed = Number(opt('seed', '42'));
const exitAfter = args.includes('--exit');
const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'out', 'demo');
const step = (n: number, text: string) => console.log(`\n== ${n}. ${text}`);

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const region = loadRegionConfig();
  const logger = createLogger('demo', config.logLevel);
  const started = Date.now();

  step(1, '契约 / contract: topics, Avro schemas, database (gateway :8080 starts with them)');
  const gateway = await startGateway({ config, logger });
  // The correlator listens before anything is published, from the topics' current end: what is
  // already there (a developer machine's test traffic, which shares the local topics) is not
  // replayed into the demo's city.
  const correlator = await startCorrelator({ config, region, logger, startAt: 'now', sweepSchedule: '' });
  const reporter = await startReporter({ config, region, logger, schedule: '' });
  console.log(`ingest gateway ${gateway.url}, correlator joined consumer group whp-correlator, reporter ready`);

  step(2, `合成城市 / synthetic city: ${employers} employers of ${region.regionName}, seed ${seed}`);
  const asOf = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  fs.rmSync(outDir, { recursive: true, force: true });
  const { manifest } = await writeCity({ seed, employers, asOf, out: path.join(outDir, 'city'), formats: ['csv', 'xlsx'] });
  console.log(
    formatTable(
      ['文件 file', '行数 rows'],
      Object.entries(manifest.files).map(([k, v]) => [k, v.rows]),
    ),
  );

  step(3, '部门报送 / every department publishes its files through the gateway');
  const published = await publishCity({
    dir: path.join(outDir, 'city'),
    gatewayUrl: gateway.url,
    format: 'xlsx',
    onFile: (e) => {
      if (e.stage === 'start') process.stdout.write(`  ${e.dept}/${e.type} … `);
      if (e.stage === 'done') console.log(e.result?.error ? `失败 ${e.result.error}` : `接收 ${e.result?.accepted}（更正 ${e.result?.corrected}），重复 ${e.result?.duplicates}，拒收 ${e.result?.rejected}`);
    },
  });
  console.log(publishSummaryTable(published));

  step(4, '关联分析 / the correlator combines the feeds per employer');
  const accepted = published.reduce((s, p) => s + p.accepted, 0);
  await waitForCorrelator(correlator.db, config, accepted);
  const sweep = await correlator.sweep();
  const [{ n: notices }] = await correlator.db('notice').count<{ n: string }[]>('* as n');
  console.log(`定期复核 ${sweep.employers} 家单位；通报 ${Number(notices)} 份（本次新增或更新 ${sweep.notices} 份）。`);
  const byRule = (await correlator.db('alert').select('rule').count('* as n').where('status', 'OPEN').groupBy('rule').orderBy('n', 'desc')) as { rule: string; n: string }[];
  console.log(formatTable(['规则', '未关闭预警'], byRule.map((r) => [RULE_LABELS[r.rule as RuleId] ?? r.rule, Number(r.n)])));
  await printFlagged(correlator.db);
  // The generator planted employers with known patterns: did the hub find them?
  const planted = manifest.planted as unknown as Record<string, { uscc: string; expect: string[] }[]>;
  const groups = ['dustyUninsured', 'underInsured', 'accidentProne', 'fatalAccident', 'earlyPneumoconiosis', 'projectWithoutCertificate'];
  const rows: (string | number)[][] = [];
  for (const g of groups) {
    const list = planted[g] ?? [];
    let found = 0;
    for (const p of list) {
      const open = new Set((await correlator.db('alert').where({ employer_key: p.uscc, status: 'OPEN' }).select('rule')).map((r) => r.rule));
      if (p.expect.every((r) => open.has(r))) found++;
    }
    rows.push([g, list[0]?.expect.join('+') ?? '', list.length, found]);
  }
  console.log('\n预置模式核对 (planted patterns found):');
  console.log(formatTable(['模式 pattern', '应触发 expected rules', '预置 planted', '找到 found'], rows));

  step(5, '报告 / what 人社 and the departments receive');
  const artifacts = await reportArtifacts({ reporter, db: correlator.db, outDir });
  for (const a of artifacts) console.log(`  ${a.label}: ${path.relative(root, a.file)}`);

  step(6, '工伤预防的其他手段 / the plan\'s other instruments: 浮动费率, 双随机与回头看, 清单命中率, 培训覆盖率');
  const today = shanghaiDay(new Date());
  for (const [kind, ref, file] of [
    ['RATE_ADJUSTMENT', lastCycle(today).cycle, `浮动费率调整建议-${lastCycle(today).cycle}.xlsx`],
    ['INSPECTION_PLAN', quarterOf(today), `双随机检查计划-${quarterOf(today)}.xlsx`],
    ['PRECISION', 'latest', '风险清单命中率.xlsx'],
    ['TRAINING_COVERAGE', 'latest', '重点岗位培训覆盖率.xlsx'],
  ] as const) {
    const built = await buildInstrument(correlator.db, region, kind, ref, new Date());
    const stored = (await storedInstrument(correlator.db, kind, built.ref))!;
    console.log(instrumentSummary(kind, stored.content as never));
    if (stored.xlsx) fs.writeFileSync(path.join(outDir, file), stored.xlsx);
    console.log(`  → ${path.relative(root, path.join(outDir, file))}`);
    if (kind === 'RATE_ADJUSTMENT') {
      // The generator planted employers whose figures must move their rate up or down: are they suggested so?
      const rows = new Map((stored.content as { rows: { uscc: string | null; direction: string }[] }).rows.map((r) => [r.uscc, r.direction]));
      const ra = (manifest.planted as unknown as { rateAdjustment?: { up: { uscc: string }[]; down: { uscc: string }[] } }).rateAdjustment;
      if (ra) {
        const hit = (list: { uscc: string }[], dir: string) => list.filter((p) => rows.get(p.uscc) === dir).length;
        console.log(`  预置核对：应上浮 ${ra.up.length} 家，建议上浮 ${hit(ra.up, 'UP')} 家；应下浮 ${ra.down.length} 家，建议下浮 ${hit(ra.down, 'DOWN')} 家`);
      }
    }
  }

  const portal = await startPortal({ config, logger, region });
  console.log(`\n用时 ${Math.round((Date.now() - started) / 1000)} 秒。`);
  console.log(`门户 / portal: ${portal.url}/api/v1/alerts, /api/v1/risk-lists/latest  (Authorization: Bearer dev-hrss)`);
  console.log(`网关 / gateway: ${gateway.url}/v1/events/{type}, /v1/files/{type}`);
  // The console is the portal's page: the demo city is in it, signed in with a department's dev token.
  console.log(`\n控制台: ${portal.url}/`);
  console.log(`  登录 / sign in: 人社令牌 dev-hrss（开发环境令牌，见 services/shared/auth.ts prepareTokens；其他部门 dev-emergency、dev-health …）`);
  const stop = async () => {
    await portal.close();
    await reporter.close();
    await correlator.close();
    await gateway.close();
  };
  if (exitAfter) {
    await stop();
    return;
  }
  console.log('\n枢纽运行中，按 Ctrl-C 停止 (the hub keeps running; Ctrl-C stops it).');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
}

/**
 * The most pressing employers (PRIORITY first, then by score), why, and their letters by
 * department: at most one open 整改建议 per department, as a civil servant would check.
 */
async function printFlagged(db: import('knex').Knex) {
  const top = await db('alert as a')
    .join('employer as e', 'e.employer_key', 'a.employer_key')
    .where('a.status', 'OPEN')
    .groupBy('e.employer_key', 'e.name', 'e.uscc')
    .select('e.employer_key', 'e.name', 'e.uscc', db.raw(`bool_or(a.rule = 'PRIORITY') as priority`), db.raw('max(a.score) as score'), db.raw(`array_agg(a.rule order by a.score desc) as rules`))
    .orderByRaw('bool_or(a.rule = ?) desc, max(a.score) desc, e.employer_key', ['PRIORITY'])
    .limit(6);
  console.log('\n重点单位、理由及各部门的整改建议 (flagged employers, why, and their letters by department):');
  for (const t of top) {
    const why = await db('alert').where({ employer_key: t.employer_key, status: 'OPEN' }).orderBy('score', 'desc').first('explanation');
    console.log(`\n● ${t.name}（${t.uscc ?? '无统一社会信用代码'}）  ${(t.rules as RuleId[]).map((r) => RULE_LABELS[r] ?? r).join('、')}  分值 ${Number(t.score).toFixed(1)}`);
    console.log(`  ${why.explanation}`);
    const recs = await db('recommendation').where('employer_key', t.employer_key).whereIn('status', ['OPEN', 'OVERDUE']).orderBy('issued_at');
    if (!recs.length) console.log('  （无未关闭的整改建议）');
    // One line per letter, headed by the departments it is addressed to (a joint letter names them all).
    for (const r of recs) {
      const items = (r.items as { rule: ProblemRule; status: string }[]).filter((i) => i.status === 'OPEN');
      console.log(
        `  ${(r.departments as Department[]).map((d) => DEPARTMENTS[d] ?? d).join('、')}：${r.document_number} ${RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? r.kind}` +
          `（期限 ${r.deadline}，${RECOMMENDATION_STATUS_LABELS[r.status as RecommendationStatus] ?? r.status}，待整改问题 ${items.length} 项：${[...new Set(items.map((i) => PROBLEM_LABELS[i.rule] ?? i.rule))].join('、')}）`,
      );
    }
  }
  const doubled = await db.raw(
    `select count(*)::int as n from (select employer_key, d from recommendation, unnest(departments) d where status in ('OPEN', 'OVERDUE') group by 1, 2 having count(*) > 1) x`,
  );
  const [{ n: open }] = await db('recommendation').whereIn('status', ['OPEN', 'OVERDUE']).count<{ n: string }[]>('* as n');
  console.log(`\n未关闭的整改建议 ${Number(open)} 份；同一单位同一部门多于一份的：${doubled.rows[0].n} 处${doubled.rows[0].n === 0 ? '（每家单位每个部门至多一份）' : ''}。`);
}

/** Waits until the correlator's committed offsets reach the ends of the input topics. */
async function waitForCorrelator(db: import('knex').Knex, config: ReturnType<typeof loadConfig>, accepted: number) {
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const t of EVENT_TYPES) for (const p of await admin.fetchTopicOffsets(topicOf(t))) ends.set(`${topicOf(t)}|${p.partition}`, BigInt(p.high));
  await admin.disconnect();
  const deadline = Date.now() + 10 * 60_000;
  let last = '';
  for (;;) {
    const rows = await db('consumer_offset').where('group_id', 'whp-correlator');
    const at = new Map(rows.map((r) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
    let behind = 0n;
    for (const [k, end] of ends) behind += end > (at.get(k) ?? 0n) ? end - (at.get(k) ?? 0n) : 0n;
    const line = `  待处理 ${behind} 条 / ${accepted} 条已接收 (events still to correlate)`;
    if (line !== last && process.stdout.isTTY) process.stdout.write(`\r${line}   `);
    last = line;
    if (behind === 0n) break;
    if (Date.now() > deadline) throw new Error('关联服务 10 分钟内未处理完 (correlator did not catch up)');
    await new Promise((r) => setTimeout(r, 500));
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('演示失败 (demo failed):', err);
    process.exit(1);
  },
);
