/**
 * The fault suite (npm run faults): the hub on a private stack of real parts, broken on purpose.
 *
 *   npx tsx scripts/faults/index.ts [--kills 20] [--only kafka,registry,postgres,gateway-kill,burst,correlator-kills]
 *
 * Cases, each bounded in time and count: Kafka stopped and started during ingest; the registry
 * stopped; PostgreSQL stopped and started during correlation; the gateway killed -9 during a large
 * upload; a burst of concurrent uploads; the correlator killed -9 at random moments during a
 * replay, 20 times. Then every record the gateway said it took is looked for in Kafka and in the
 * correlator's state. Prints faults injected, records checked, lost, duplicated; writes
 * out/faults/faults-<time>.json; exits 1 when a case failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../services/shared/config';
import { EVENT_TYPES } from '../../services/shared/contract';
import { createDb, migrate } from '../../services/shared/db';
import { createKafka } from '../../services/shared/kafka';
import { ROOT } from '../bench/common';
import { formatTable } from '../cli/whp';
import { kafkaCensus, outputSnapshot, settleBySweep, snapshotDiff, verify } from './checks';
import { burstCase } from './cases/burst';
import { correlatorKillsCase } from './cases/correlatorKills';
import { gatewayKillCase } from './cases/gatewayKill';
import { outageCase } from './cases/outage';
import { Ledger, submitAll } from './ledger';
import { PrivateStack } from './privateStack';
import { SUBMIT_ORDER, byType, cityRecords } from './records';
import { HubProcess } from './services';
import { CaseResult, Suite } from './suite';
import { lagOf, until } from './probe';

const CASES = ['kafka', 'registry', 'postgres', 'gateway-kill', 'burst', 'correlator-kills'] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`用法: npm run faults [-- --kills 20] [-- --only ${CASES.join(',')}]\n`);
    return 0;
  }
  const only = new Set(values.only ? values.only.split(',') : CASES);
  for (const c of only) if (!(CASES as readonly string[]).includes(c)) throw new Error(`unknown case "${c}" (cases: ${CASES.join(', ')})`);
  const kills = Number(values.kills);
  const began = Date.now();
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const outDir = path.join(ROOT, 'out', 'faults');
  fs.mkdirSync(outDir, { recursive: true });

  log('== 故障演练 / fault suite: a private stack of real parts');
  const stack = new PrivateStack();
  try {
    return await withStack(stack, outDir, log, only, kills, began);
  } finally {
    await stack.down().catch(() => {});
  }
}

async function withStack(stack: PrivateStack, outDir: string, log: (s: string) => void, only: Set<string>, kills: number, began: number): Promise<number> {
  await stack.up(log);
  await stack.createDatabase(stack.hubDb);
  const env = stack.env();
  const config = loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' });
  const db = createDb(config, 4);
  await migrate(db);
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await admin.connect();
  const mainGroup = 'whp-correlator';
  const svc = (name: ConstructorParameters<typeof HubProcess>[0], port: number, extra: Record<string, string> = {}) =>
    new HubProcess(name, port, { ...env, ...extra }, path.join(outDir, `${name}.log`));
  const s: Suite = {
    stack,
    run: `F${randomUUID().slice(0, 6)}`,
    ledger: new Ledger(),
    gateway: svc('ingest-gateway', 18080),
    // As deployed: the default session timeout, which bounds how soon it resumes after Kafka returns.
    correlator: svc('correlator', 18070, { WHP_CORRELATOR_GROUP: mainGroup }),
    portal: svc('portal', 18090),
    reporter: svc('reporter', 18060, { WHP_RISKLIST_CRON: '' }),
    db,
    admin,
    mainGroup,
    outDir,
    log,
  };
  const results: CaseResult[] = [];
  let verdictFailures: string[] = [];
  let totals = { faults: 0, recordsChecked: 0, lost: 0, duplicated: 0, repeatedInKafka: 0 };
  try {
    for (const p of [s.gateway, s.correlator, s.portal, s.reporter]) await p.start();
    await until(async () => (await Promise.all([s.gateway, s.correlator, s.portal, s.reporter].map((p) => p.answers('/readyz')))).every(Boolean), 120_000, 250);
    log(`services up: gateway ${s.gateway.url}, correlator ${s.correlator.url}, portal ${s.portal.url}, reporter ${s.reporter.url}`);

    // A city's worth of records, so that the correlator has alerts and recommendations to get right.
    const t0 = Date.now();
    for (const [type, g] of [...byType(cityRecords(s.run, 900))].sort((a, b) => SUBMIT_ORDER.indexOf(a[0]) - SUBMIT_ORDER.indexOf(b[0]))) {
      await submitAll(s.gateway.url, s.ledger, type, g.department, g.records);
    }
    log(`published ${s.ledger.count().toLocaleString('en-US')} records of 900 employers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const run = async (name: string, work: () => Promise<CaseResult>) => {
      if (!only.has(name)) return;
      log(`\n== ${name}`);
      try {
        const r = await work();
        results.push(r);
        for (const [k, v] of r.measurements) log(`  ${k}: ${v}`);
        for (const f of r.failures) log(`  ✗ ${f}`);
      } catch (err) {
        results.push({ name, faults: 0, seconds: 0, measurements: [], failures: [`the case itself failed: ${(err as Error).stack ?? err}`], resume: {} });
        log(`  ✗ the case itself failed: ${(err as Error).message}`);
      }
    };
    await run('kafka', () => outageCase(s, { name: 'kafka', what: 'Kafka', stop: stack.stopKafka, start: stack.startKafkaAndRegistry, downMs: 10_000, mustNotice: ['ingest-gateway', 'correlator'] }, 5_000_000));
    await run('registry', () => outageCase(s, { name: 'registry', what: 'the schema registry', stop: stack.stopRegistry, start: stack.startKafkaAndRegistry, downMs: 10_000, mustNotice: ['ingest-gateway'] }, 5_100_000));
    await run('postgres', () =>
      outageCase(
        s,
        {
          name: 'postgres',
          what: 'PostgreSQL',
          stop: () => stack.stopPostgres(),
          start: () => stack.startPostgres(),
          downMs: 8_000,
          mustNotice: ['ingest-gateway', 'correlator', 'portal', 'reporter'],
          // Correlation under way: a fresh batch of employers, cut as soon as the correlator works on it.
          busy: async (suite) => {
            for (const [type, g] of byType(cityRecords(`${suite.run}-pg`, 400, 20_000))) await submitAll(suite.gateway.url, suite.ledger, type, g.department, g.records);
            await until(async () => (await lagOf(suite.db, suite.admin, suite.mainGroup)) > 0, 10_000, 50);
          },
        },
        5_200_000,
      ),
    );
    await run('gateway-kill', () => gatewayKillCase(s, 60_000));
    await run('burst', () => burstCase(s, 24, 4_000));
    await run('correlator-kills', () => correlatorKillsCase(s, kills));

    // Everything the gateway took, looked for in Kafka and in the main correlator's state.
    log('\n== every record taken: in Kafka, in the state');
    const caughtUp = await until(async () => (await lagOf(s.db, s.admin, mainGroup)) === 0, 600_000, 500);
    if (caughtUp === null) verdictFailures.push('the main correlator did not catch up within 10 minutes');
    const census = await kafkaCensus(env, [...EVENT_TYPES]);
    const v = await verify(s.ledger, census, s.db);
    log(`  ${v.recordsChecked.toLocaleString('en-US')} records taken; in Kafka: ${v.lostInKafka} missing, ${v.repeatedInKafka} with a second copy (sent again after an answer that never arrived); in the state: ${v.lostInState} missing, ${v.duplicatedInState} duplicated`);
    for (const e of v.examples) log(`  · ${e}`);
    if (v.lostInKafka || v.lostInState) verdictFailures.push(`lost: ${v.lostInKafka} not in Kafka, ${v.lostInState} not in the state`);
    if (v.duplicatedInState) verdictFailures.push(`duplicated in the state: ${v.duplicatedInState}`);
    const killsCase = results.find((r) => r.name === 'correlator-kills');
    // The reference replay exists only when that case got as far as building it.
    if (killsCase && !killsCase.failures.some((f) => f.startsWith('the case itself failed'))) {
      const refDb = createDb(stack.databaseUrl('whp_faults_reference'), 2);
      // Both brought to the same moment: an employer evaluated before later events moved its
      // section's accident rate is brought up to date by the sweep, as in production.
      await settleBySweep([s.db, refDb]);
      const [main, ref] = await Promise.all([outputSnapshot(s.db), outputSnapshot(refDb)]);
      await refDb.destroy();
      const a = snapshotDiff(main.alerts, ref.alerts);
      const r = snapshotDiff(main.recommendations, ref.recommendations);
      log(`  the main correlator (through every outage) against the undisturbed replay, both swept: alerts ${a.onlyA.length} extra, ${a.onlyB.length} missing; recommendations ${r.onlyA.length} extra, ${r.onlyB.length} missing`);
      for (const x of [...a.onlyA.slice(0, 3), ...r.onlyA.slice(0, 3)]) log(`    only in the main: ${x}`);
      for (const x of [...a.onlyB.slice(0, 3), ...r.onlyB.slice(0, 3)]) log(`    only in the replay: ${x}`);
      if (a.onlyA.length + a.onlyB.length + r.onlyA.length + r.onlyB.length) verdictFailures.push('the main correlator’s alerts or recommendations differ from the undisturbed replay');
    }
    totals = {
      faults: results.reduce((n, r) => n + r.faults, 0),
      recordsChecked: v.recordsChecked,
      lost: v.lostInKafka + v.lostInState,
      duplicated: v.duplicatedInState,
      repeatedInKafka: v.repeatedInKafka,
    };
  } finally {
    for (const p of [s.gateway, s.correlator, s.portal, s.reporter]) await p.stop().catch(() => {});
    await admin.disconnect().catch(() => {});
    await db.destroy().catch(() => {});
  }

  const failed = results.filter((r) => r.failures.length).length + (verdictFailures.length ? 1 : 0);
  log('\n== 故障演练结果 / fault suite results');
  log(
    formatTable(
      ['case', 'faults', 'seconds', 'resume after return (s)', 'result'],
      results.map((r) => [
        r.name,
        String(r.faults),
        r.seconds.toFixed(0),
        Object.entries(r.resume).map(([k, t]) => `${k} ${t === null ? '—' : t.toFixed(1)}`).join(' · ') || '—',
        r.failures.length ? `✗ ${r.failures.length} failed` : r.missedGoals?.length ? '✓ (goal missed ⚠)' : '✓',
      ]),
    ),
  );
  for (const f of verdictFailures) log(`✗ ${f}`);
  log(
    `faults injected: ${totals.faults} · records checked: ${totals.recordsChecked.toLocaleString('en-US')} · lost: ${totals.lost} · duplicated: ${totals.duplicated}` +
      ` (second copies in Kafka, taken once by the correlator: ${totals.repeatedInKafka}) · ${((Date.now() - began) / 60_000).toFixed(1)} min`,
  );
  const file = path.join(outDir, `faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), totals, results, verdictFailures }, null, 2));
  log(`written: ${path.relative(ROOT, file)}`);
  log(failed ? `✗ ${failed} part(s) failed` : '✓ the fault suite passed');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`故障演练未能完成 / the fault suite could not run: ${(err as Error).stack ?? err}\n`);
    process.exit(2);
  },
);
