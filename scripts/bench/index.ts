/**
 * `npm run bench`: the hub's speed on the real stack, in one run, beside Kafka's own tools.
 * Not part of `npm test`. Prints a table and writes out/bench/bench-<time>.json.
 *
 *   npm run bench [-- --only ingest,correlation,latency,sweep,list,console] [--repeats 3]
 *                 [--records 100000] [--file-rows 200000] [--employers 4000]
 *                 [--province 1000000] [--rate 5000] [--seconds 20] [--correlators 1]
 *
 * Every service under test runs as its own process (its peak RSS is reported) against a scratch
 * database beside DATABASE_URL's, dropped at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../../test/stack';
import { loadConfig } from '../../services/shared/config';
import { connectContract } from '../../services/shared/kafka';
import { loadRegionConfig } from '../../services/shared/regionConfig';
import { formatTable } from '../city/table';
import { ROOT, ServiceProcess, machine, mib, startService } from './common';
import { benchIngest } from './ingest';
import { benchCorrelation } from './correlation';
import { benchLatency } from './latency';
import { benchSweep } from './sweep';
import { benchRiskList } from './riskList';
import { benchConsole } from './console';

const TARGETS = {
  gatewayRatio: 0.5,
  xlsxSeconds: 20,
  correlatorEventsPerSecond: 20_000,
  correlatorRatio: 0.5,
  p99ms: 2000,
  sweepSeconds: 10,
  listSeconds: 10,
  rssBytes: 1024 ** 3,
  consoleRouteMs: 2000,
};

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: 'ingest,correlation,latency,sweep,list,console' },
      repeats: { type: 'string', default: '3' },
      records: { type: 'string', default: '100000' },
      'file-rows': { type: 'string', default: '200000' },
      employers: { type: 'string', default: '4000' },
      province: { type: 'string', default: '1000000' },
      rate: { type: 'string', default: '5000' },
      seconds: { type: 'string', default: '20' },
      correlators: { type: 'string', default: '1' },
    },
  });
  const only = new Set(values.only!.split(','));
  const repeats = Number(values.repeats);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const region = loadRegionConfig();
  const log = (s: string) => console.log(s);
  const started = new Date();
  const processes: ServiceProcess[] = [];
  const errors: Record<string, string> = {};
  /** A section that fails is reported as failed; the others still run and are reported. */
  const section = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      errors[name] = err instanceof Error ? err.message : String(err);
      console.error(`  ${name} 失败 (failed): ${errors[name]}`);
    }
  };
  const result: Record<string, unknown> = { machine: machine(), startedAt: started.toISOString(), repeats };
  const { kafka, registry, ids } = await connectContract(config);
  const admin = kafka.admin();
  await admin.connect();
  const fresh = await createScratchDatabase(config.databaseUrl);
  const db = fresh.db;
  try {
    result.versions = { postgres: (await db.raw('show server_version')).rows[0].server_version, kafka: '4.4.0' };

    if (only.has('ingest')) {
      log('\n== 接入 / ingest');
      await section('ingest', async () => {
        const gateway = await startService('ingest-gateway', { DATABASE_URL: fresh.url }, '/readyz', 'GATEWAY_PORT');
        processes.push(gateway);
        result.ingest = await benchIngest({ gatewayUrl: gateway.url, admin, brokers: config.kafkaBrokers.join(','), partitions: config.topicPartitions, records: Number(values.records), fileRows: Number(values['file-rows']), repeats, log });
        await gateway.stop();
      });
    }
    if (only.has('correlation')) {
      log('\n== 关联 / correlation');
      await section('correlation', async () => {
        result.correlation = await benchCorrelation({ kafka, registry, ids, freshDatabase: () => createScratchDatabase(config.databaseUrl), employers: Number(values.employers), instances: Number(values.correlators), repeats, onProcess: (p) => processes.push(p), log });
      });
    }
    if (only.has('latency')) {
      log('\n== 预警时延 / alert latency');
      await section('latency', async () => {
        result.latency = await benchLatency({ kafka, registry, ids, db, databaseUrl: fresh.url, rate: Number(values.rate), seconds: Number(values.seconds), onProcess: (p) => processes.push(p), log });
      });
    }
    if (only.has('sweep') || only.has('list') || only.has('console')) {
      const province = await createScratchDatabase(config.databaseUrl);
      const pdb = province.db;
      try {
        if (only.has('sweep')) {
          log(`\n== 定期复核 / sweep over ${Number(values.province).toLocaleString()} employers`);
          await section('sweep', async () => {
            result.sweep = await benchSweep({ db: pdb, region, employers: Number(values.province), repeats, log });
          });
        }
        if (only.has('list')) {
          log(`\n== 风险清单 / weekly list of ${Number(values.province).toLocaleString()} employers`);
          await section('list', async () => {
            result.list = await benchRiskList({ db: pdb, region, employers: Number(values.province), loaded: !!result.sweep, repeats, log });
          });
        }
        if (only.has('console')) {
          log(`\n== 控制台接口 / console API over ${Number(values.province).toLocaleString()} employers`);
          await section('console', async () => {
            result.console = await benchConsole({ db: pdb, databaseUrl: province.url, config, region, employers: Number(values.province), repeats, log });
          });
        }
      } finally {
        await province.drop();
      }
    }
  } finally {
    for (const p of processes) await p.stop().catch(() => undefined);
    await admin.disconnect();
    await fresh.drop();
  }
  const rss: Record<string, number> = {};
  for (const p of processes) rss[p.name] = Math.max(rss[p.name] ?? 0, p.peak());
  rss.bench = process.resourceUsage().maxRSS * 1024;
  result.peakRss = rss;
  if (Object.keys(errors).length) result.errors = errors;
  report(result);
  const out = path.join(ROOT, 'out', 'bench');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\n结果 / results: ${path.relative(ROOT, file)}`);
}

/** One table: what was measured, min / median / max, the target, and whether it was met. */
function report(r: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const rows: (string | number)[][] = [];
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const s3 = (s: { min: number; median: number; max: number }, d = 0) => `${f(s.min, d)} / ${f(s.median, d)} / ${f(s.max, d)}`;
  const ok = (met: boolean) => (met ? '达标 met' : '未达标 MISSED');
  if (r.ingest) {
    const i = r.ingest;
    rows.push([`Kafka ProducerPerformance (${i.avgRecordBytes} B, acks=all), records/s`, s3(i.producerPerformance), '—', '']);
    rows.push(['gateway JSON, records/s', s3(i.json), `≥ ${TARGETS.gatewayRatio * 100}% of Kafka`, `${f(i.jsonRatio * 100, 1)}% ${ok(i.jsonRatio >= TARGETS.gatewayRatio)}`]);
    rows.push([`gateway XLSX ${f(i.xlsx.rows)} rows, s`, s3(i.xlsx.seconds, 1), `< ${TARGETS.xlsxSeconds} s`, ok(i.xlsx.seconds.median < TARGETS.xlsxSeconds)]);
    rows.push([`gateway CSV ${f(i.csv.rows)} rows, s`, s3(i.csv.seconds, 1), '—', `${f(i.csv.recordsPerSecond)} rows/s`]);
  }
  if (r.correlation) {
    const c = r.correlation;
    rows.push([`bare decode (${f(c.events)} events), events/s`, s3(c.bareDecode), '—', '']);
    rows.push([`correlator${c.instances > 1 ? ` ×${c.instances} processes` : ''} to committed state, events/s`, s3(c.correlator), `≥ ${f(TARGETS.correlatorEventsPerSecond)} and ≥ 50% of decode`, `${f(c.ratio * 100, 1)}% ${ok(c.correlator.median >= TARGETS.correlatorEventsPerSecond && c.ratio >= TARGETS.correlatorRatio)}`]);
  }
  if (r.latency) {
    const l = r.latency;
    rows.push([`alert latency at ${f(l.rate)} events/s (${l.alerts} alerts), p50 / p99 ms`, `${f(l.p50ms)} / ${f(l.p99ms)}`, `p99 < ${TARGETS.p99ms} ms`, ok(l.p99ms < TARGETS.p99ms)]);
  }
  if (r.sweep) {
    const s = r.sweep;
    rows.push([`sweep, ${f(s.employers)} employers, nothing moved, s`, s3(s.nothingMoved, 2), `< ${TARGETS.sweepSeconds} s`, ok(s.nothingMoved.median < TARGETS.sweepSeconds)]);
    rows.push([`sweep, 1% moved (${f(s.movedEmployers)}), s`, s3(s.onePercentMoved, 2), '—', '']);
    if (s.afterEnrolment) rows.push(['sweep, after one new enrolment (insured workers counted again), s', s3(s.afterEnrolment, 2), '—', '']);
  }
  if (r.list) {
    const l = r.list;
    rows.push([`weekly list, ${f(l.employers)} employers (query + XLSX), s`, s3(l.seconds, 1), `< ${TARGETS.listSeconds} s`, ok(l.seconds.median < TARGETS.listSeconds)]);
  }
  if (r.console) {
    const c = r.console;
    for (const b of c.builds) rows.push([`console: reporter builds ${b.what} (first request), s`, f(b.seconds, 1), '—', b.status === 200 || b.status === 201 ? '' : `HTTP ${b.status}`]);
    for (const x of c.routes) {
      rows.push([`console ${x.department} ${x.route}, ms`, s3(x.ms), `< ${f(TARGETS.consoleRouteMs)} ms`, x.status === 200 ? `${ok(x.ms.median < TARGETS.consoleRouteMs)} (${f(x.rows)}${x.limit === null ? '' : `/${x.limit}`} rows)` : `HTTP ${x.status}`]);
    }
    rows.push([`console slowest (${f(c.employers)} employers): ${c.slowest.department} ${c.slowest.route}, median ms`, f(c.slowest.medianMs), `< ${f(TARGETS.consoleRouteMs)} ms`, ok(c.slowest.medianMs < TARGETS.consoleRouteMs)]);
    for (const failure of c.failures) rows.push([`console: 失败 (failed) ${failure}`.slice(0, 120), '', '', '未达标 MISSED']);
  }
  for (const [name, bytes] of Object.entries(r.peakRss as Record<string, number>)) {
    rows.push([`peak RSS ${name}, MiB`, f(mib(bytes)), '< 1024 MiB', name === 'bench' ? '' : ok(bytes < TARGETS.rssBytes)]);
  }
  for (const [name, message] of Object.entries((r.errors ?? {}) as Record<string, string>)) rows.push([`${name}: 失败 (failed)`, message.slice(0, 60), '', '未测得']);
  console.log(`\n${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.node}; min / median / max over ${r.repeats} runs`);
  console.log(formatTable(['measure', 'min / median / max', 'target', ''], rows));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('基准测试失败 (bench failed):', err);
    process.exit(1);
  },
);
