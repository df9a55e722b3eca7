import { Knex } from 'knex';
import { HubConfig } from '../../services/shared/config';
import { DEPARTMENTS, Department, PUBLISHERS } from '../../services/shared/contract';
import { createLogger } from '../../services/shared/logger';
import { RegionConfig } from '../../services/shared/regionConfig';
import { isoWeekOf, quarterOf, shanghaiDay } from '../../services/shared/time';
import { startReporter } from '../../services/reporter/reporter';
import { startPortal } from '../../services/portal/portal';
import { Spread, repeat } from './common';
import { loadProvince } from './sweep';
import { loadAlertsAndLetters } from './riskList';

/**
 * The console's API on the synthetic province (issue 10, item 4): the real portal and reporter
 * over the sweep/list sections' database, every route the console's pages call timed as 人社 and
 * as 卫健 (a department with letters routed to it), over HTTP with the body read whole. The
 * reporter builds the stored week and the instruments first (timed apart: that is a build, not a
 * page); then each route is asked `repeats` times. A list answer with more rows than its page
 * size is a failure line.
 */
export interface ConsoleRouteResult {
  department: Department;
  route: string;
  path: string;
  status: number;
  ms: Spread;
  bytes: number;
  /** Rows in the answer's list (paged routes) or its longest array (the others). */
  rows: number;
  /** The page size asked for; null for answers that are not paged. */
  limit: number | null;
}

export interface ConsoleBenchResult {
  employers: number;
  fill: Record<string, number>;
  /** First requests that made the reporter build what the pages read (s). */
  builds: { what: string; seconds: number; status: number }[];
  routes: ConsoleRouteResult[];
  slowest: { department: Department; route: string; medianMs: number };
  failures: string[];
}

const key = (i: string) => `'91' || lpad((${i})::text, 16, '0')`;

/**
 * What the console reads beyond the sweep and list sections' tables, modest and set-based: the
 * audit log (batches published and reads, over a year; its hash chain is synthetic and does not
 * verify), rejected records, notices, and the facts behind 五年目标, 浮动费率, 培训覆盖率 and the
 * precision card (diseases, injuries, contributions, trainings, inspections).
 */
export async function loadConsoleFill(db: Knex, n: number, now: Date, log: (s: string) => void): Promise<Record<string, number>> {
  const t0 = Date.now();
  const feeds = (Object.entries(PUBLISHERS) as [string, readonly string[]][]).flatMap(([type, deps]) => deps.map((d) => ({ d, type })));
  const fd = feeds.map((f) => f.d);
  const ft = feeds.map((f) => f.type);
  const payload = (department: string, fields: string) =>
    `jsonb_build_object('eventId', f.event_id, 'department', '${department}', 'regionCode', '321302', 'uscc', ${key('i')}, 'employerName', '示例单位' || i || '有限公司', 'employerKey', ${key('i')}, 'source', 'API', 'ingestedAt', '2026-06-01T02:00:00.000Z', 'revision', 1) || jsonb_build_object(${fields})`;
  /** Facts of one type for employers i = from, from + step, …: `fields` may use i and y (a series 0..per-1). */
  const facts = async (type: string, department: string, step: number, per: number, time: string, fields: string) => {
    await db.raw(
      `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
       select '${department}', '${type}', f.event_id, ${key('i')}, ${time}, ${payload(department, fields)}, 1
         from generate_series(${step}, ?, ${step}) i cross join generate_series(0, ${per - 1}) y
         cross join lateral (select '${type}-' || i || '-' || y as event_id) f`,
      [n],
    );
  };
  // Diseases (every 100th employer, one a year 2021–2026), for the early-pneumoconiosis share.
  await facts('disease', 'health', 100, 6, `make_date(2021 + y, 1 + i % 12, 10)::timestamptz`,
    `'personId', 'psn_d_' || i || '_' || y, 'category', 1 + (i / 100) % 3, 'diseaseName', '矽肺', 'diagnosedAt', make_date(2021 + y, 1 + i % 12, 10)::text, 'exposureYears', (i / 100 + y) % 12`);
  // Injuries (every 50th, recognised), contributions (every 10th, 2023–2025), trainings (every 20th), inspections (every 50th).
  await facts('injury', 'hrss', 50, 1, `timestamptz '2025-06-01T00:00:00+08:00'`,
    `'personId', 'psn_i_' || i, 'injuryDate', '2025-05-20', 'decision', 'RECOGNIZED', 'insuredAtInjury', true, 'decidedAt', '2025-06-01'`);
  await facts('contribution', 'hrss', 10, 3, `make_date(2023 + y, 12, 31)::timestamptz`,
    `'period', (2023 + y)::text, 'payrollYuan', (20 + i % 80) * 60000, 'paidYuan', (20 + i % 80) * 60000 * 0.005, 'rateClass', 1 + i % 8, 'rate', 0.005`);
  await facts('training', 'hrss', 20, 1, `timestamptz '2026-09-01T00:00:00+08:00'`,
    `'courseName', '重点岗位安全培训', 'heldAt', '2026-09-01', 'trainees', 10, 'keyPostTrainees', 5 + i % 5, 'keyPostTotal', 10`);
  await facts('inspection', 'emergency', 50, 1, `timestamptz '2026-08-01T00:00:00+08:00' + (i % 120) * interval '1 day'`,
    `'inspectedAt', to_char(date '2026-08-01' + (i % 120), 'YYYY-MM-DD'), 'origin', case when i % 100 = 0 then 'LISTED' else 'RANDOM' end, 'finding', case when i % 150 = 0 then 'HAZARD_FOUND' else 'COMPLIANT' end, 'note', ''`);
  // Notices: one per 1,000 employers, each naming three of them (numbered apart from the sweep's own).
  await db.raw(
    `insert into notice (notice_id, kind, title, issued_at, employers, evidence, body, document_number, late, joined, version)
     select 'NTC-' || i, 'TYPICAL_ACCIDENT', '关于示例单位' || i || '等单位同类事故的通报', date '2026-11-20' - (i % 365),
            array[${key('i * 30')}, ${key('i * 30 + 1')}, ${key('i * 30 + 2')}], '[]'::jsonb, '合成通报正文', '宿工预合成通〔2026〕' || i || '号', false, '[]'::jsonb, 1
       from generate_series(1, ?) i
     on conflict do nothing`,
    [Math.max(1, Math.floor(n / 1000))],
  );
  // The audit log: n / 5 entries over the last 365 days, two batches published for each read.
  const audit = Math.floor(n / 5);
  await db.raw(
    `insert into audit_log (seq, at, actor, action, object, body, prev_hash, hash)
     select seq, at, actor, action, object,
            json_build_object('seq', seq, 'at', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'actor', actor, 'action', action, 'object', object, 'detail', detail)::text,
            lpad(to_hex(seq - 1), 64, '0'), lpad(to_hex(seq), 64, '0')
       from (
         select s as seq, ?::timestamptz - (? - s) * (interval '365 days' / ?) as at,
                case when s % 3 = 0 then 'hrss' else (?::text[])[1 + s % ?] end as actor,
                case when s % 3 = 0 then 'READ_EMPLOYER' else 'PUBLISH' end as action,
                case when s % 3 = 0 then ${key('s')} else (?::text[])[1 + s % ?] end as object,
                case when s % 3 = 0 then jsonb_build_object('name', '示例单位' || s || '有限公司', 'uscc', ${key('s')})
                     else jsonb_build_object('type', (?::text[])[1 + s % ?], 'accepted', 50 + s % 200, 'corrected', 0, 'duplicates', s % 3, 'rejected', s % 7) end as detail
           from generate_series(1, ?) s) x`,
    [now.toISOString(), audit, audit, fd, fd.length, ft, ft.length, ft, ft.length, audit],
  );
  // Rejected records: one per 20 employers over the last 365 days.
  const dead = Math.floor(n / 20);
  await db.raw(
    `insert into dead_letter (department, event_type, source, event_id, position, reasons, received_at)
     select (?::text[])[1 + s % ?], (?::text[])[1 + s % ?], case when s % 2 = 0 then 'FILE' else 'API' end, 'bad-' || s, s % 500,
            jsonb_build_array(jsonb_build_object('field', (array['uscc', 'occurredAt', 'deaths', 'measured'])[1 + s % 4],
                                                 'reason', (array['统一社会信用代码校验位错误', '日期格式错误', '不能为负数', '缺少必填字段'])[1 + s % 4])),
            ?::timestamptz - (? - s) * (interval '365 days' / ?)
       from generate_series(1, ?) s`,
    [fd, fd.length, ft, ft.length, now.toISOString(), dead, dead, dead],
  );
  await db.raw('analyze');
  const count = async (sql: string) => Number((await db.raw(sql)).rows[0].n);
  const fill = {
    auditLog: await count('select count(*) as n from audit_log'),
    deadLetters: await count('select count(*) as n from dead_letter'),
    notices: await count('select count(*) as n from notice'),
    alerts: await count('select count(*) as n from alert'),
    recommendations: await count('select count(*) as n from recommendation'),
    facts: await count('select count(*) as n from fact'),
  };
  log(`  console fill: ${Object.entries(fill).map(([k, v]) => `${k} ${v.toLocaleString()}`).join(', ')} in ${Math.round((Date.now() - t0) / 1000)} s`);
  return fill;
}

/** The longest array anywhere in an answer (a list that is not paged shows here). */
function longestArray(v: unknown): number {
  if (Array.isArray(v)) return Math.max(v.length, ...v.map(longestArray));
  if (v && typeof v === 'object') return Math.max(0, ...Object.values(v).map(longestArray));
  return 0;
}

export async function benchConsole(o: {
  db: Knex;
  databaseUrl: string;
  config: HubConfig;
  region: RegionConfig;
  employers: number;
  repeats: number;
  log: (s: string) => void;
}): Promise<ConsoleBenchResult> {
  const now = new Date();
  // The sweep or list section may have loaded the province already, the list section its alerts and letters.
  // (The sweep section's own alerts are not those: the list section's are named ALT-<rule>-<i>, e.g. ALT-UNDER_INSURED-20.)
  const has = async (sql: string) => (await o.db.raw(`select exists (${sql}) as x`)).rows[0].x as boolean;
  if (!(await has('select 1 from employer'))) await loadProvince(o.db, o.region, o.employers, now, o.log);
  if (!(await has(`select 1 from alert where alert_id like 'ALT-UNDER_INSURED-%'`))) await loadAlertsAndLetters(o.db, o.employers);
  const fill = await loadConsoleFill(o.db, o.employers, now, o.log);

  const logger = createLogger('bench-console', 'warn');
  const config: HubConfig = { ...o.config, databaseUrl: o.databaseUrl };
  const reporter = await startReporter({ config, region: o.region, logger, schedule: '', opsPort: null });
  // The first asks wait for the reporter's builds (a province's takes minutes).
  const portal = await startPortal({ config, region: o.region, logger, port: 0, waitMs: 30 * 60_000 });
  const failures: string[] = [];
  const builds: ConsoleBenchResult['builds'] = [];
  const routes: ConsoleRouteResult[] = [];
  try {
    const call = async (department: Department, path: string, method = 'GET') => {
      const t = performance.now();
      const res = await fetch(`${portal.url}${path}`, { method, headers: { authorization: `Bearer dev-${department}`, accept: 'application/json' } });
      const text = await res.text();
      return { ms: performance.now() - t, status: res.status, text };
    };
    const build = async (what: string, path: string, method = 'GET') => {
      const r = await call('hrss', path, method);
      builds.push({ what, seconds: r.ms / 1000, status: r.status });
      o.log(`  built ${what}: ${r.status} in ${(r.ms / 1000).toFixed(1)} s`);
      if (r.status >= 300) failures.push(`${what}: 构建失败 (build answered ${r.status}): ${r.text.slice(0, 200)}`);
    };
    const today = shanghaiDay(now);
    const week = isoWeekOf(new Date(now.getTime() - 7 * 86400_000)).week;
    const quarter = quarterOf(today);
    const cycle = `${Number(today.slice(0, 4)) - 3}-${Number(today.slice(0, 4)) - 1}`;
    await build(`risk list ${week}`, `/api/v1/risk-lists?week=${week}`, 'POST');
    await build(`inspection plan ${quarter}`, `/api/v1/inspections/plan?quarter=${quarter}`);
    await build('precision', '/api/v1/risk-lists/precision');
    await build('training coverage', '/api/v1/training-coverage');
    await build(`rate adjustments ${cycle}`, `/api/v1/rate-adjustments?cycle=${cycle}&limit=20`);

    const district = Object.keys(o.region.districts)[0];
    const employer = (await o.db.raw(`select ${key('120')} as k`)).rows[0].k as string;
    const page = 20;
    type Route = { route: string; path: string; list?: string };
    const common: Route[] = [
      { route: '整改跟踪 recommendations (OPEN)', path: `/api/v1/recommendations?status=OPEN&limit=${page}&offset=0`, list: 'recommendations' },
      { route: '整改跟踪 recommendations, page 500', path: `/api/v1/recommendations?status=ACTIVE&limit=${page}&offset=${page * 499}`, list: 'recommendations' },
      { route: '通报与文书 recommendations (ALL)', path: `/api/v1/recommendations?status=ALL&limit=${page}&offset=0`, list: 'recommendations' },
      { route: '通报与文书 notices', path: '/api/v1/notices' },
      { route: '单位画像 employer profile', path: `/api/v1/employers/${employer}` },
      { route: '单位画像 employer facts', path: `/api/v1/console/employers/${employer}/facts` },
      { route: '数据报送 feeds', path: '/api/v1/console/feeds' },
      { route: '数据报送 dead letters', path: `/api/v1/console/dead-letters?limit=${page}&offset=0`, list: 'deadLetters' },
      { route: '五年目标 plan targets', path: '/api/v1/console/plan-targets' },
      { route: '双随机 inspection plan', path: `/api/v1/inspections/plan?quarter=${quarter}` },
      { route: '命中率 precision', path: '/api/v1/risk-lists/precision' },
    ];
    const hrssOnly: Route[] = [
      { route: '风险清单 risk list (latest)', path: `/api/v1/console/risk-list?limit=${page}&offset=0`, list: 'rows' },
      { route: '风险清单 risk list, filtered', path: `/api/v1/console/risk-list?week=${week}&district=${district}&industry=C&rule=PRIORITY&change=NEW&limit=${page}&offset=0`, list: 'rows' },
      { route: '风险清单 risk list, search', path: `/api/v1/console/risk-list?week=${week}&q=${encodeURIComponent('示例单位12')}&limit=${page}&offset=0`, list: 'rows' },
      { route: '风险清单 risk list, page 500', path: `/api/v1/console/risk-list?week=${week}&limit=${page}&offset=${page * 499}`, list: 'rows' },
      { route: '五年目标 training coverage', path: '/api/v1/training-coverage' },
      { route: '审计日志 audit', path: `/api/v1/audit?limit=${page}&offset=0`, list: 'entries' },
      { route: '审计日志 audit (PUBLISH, page 500)', path: `/api/v1/audit?action=PUBLISH&limit=${page}&offset=${page * 499}`, list: 'entries' },
      { route: '浮动费率 rate adjustments', path: `/api/v1/rate-adjustments?cycle=${cycle}&limit=${page}&offset=0`, list: 'rows' },
      { route: '浮动费率 rate adjustments, UP + search', path: `/api/v1/rate-adjustments?cycle=${cycle}&direction=UP&q=${encodeURIComponent('示例单位1')}&limit=${page}&offset=0`, list: 'rows' },
    ];
    const plan: [Department, Route[]][] = [
      ['hrss', [...hrssOnly, ...common]],
      ['health', common],
    ];
    for (const [department, list] of plan) {
      for (const r of list) {
        let status = 0;
        let bytes = 0;
        let rows = 0;
        const ms = await repeat(o.repeats, async () => {
          const a = await call(department, r.path);
          status = a.status;
          bytes = Buffer.byteLength(a.text);
          const body = JSON.parse(a.text || '{}');
          rows = r.list ? (Array.isArray(body[r.list]) ? body[r.list].length : -1) : longestArray(body);
          return a.ms;
        });
        const limit = r.list ? page : null;
        const res: ConsoleRouteResult = { department, route: r.route, path: r.path, status, ms, bytes, rows, limit };
        routes.push(res);
        o.log(`  ${DEPARTMENTS[department]} ${r.route}: ${status}, ${Math.round(ms.min)} / ${Math.round(ms.median)} / ${Math.round(ms.max)} ms, ${rows} rows, ${(bytes / 1024).toFixed(1)} KiB`);
        if (status !== 200) failures.push(`${DEPARTMENTS[department]} ${r.route}: answered ${status}, not 200`);
        if (limit !== null && (rows < 0 || rows > limit)) failures.push(`${DEPARTMENTS[department]} ${r.route}: ${rows} rows for a page of ${limit}`);
      }
    }
  } finally {
    await portal.close();
    await reporter.close();
  }
  for (const f of failures) o.log(`  失败 (FAILED): ${f}`);
  const worst = routes.reduce((a, b) => (b.ms.median > a.ms.median ? b : a), routes[0]);
  return {
    employers: o.employers,
    fill,
    builds,
    routes,
    slowest: { department: worst.department, route: worst.route, medianMs: worst.ms.median },
    failures,
  };
}
