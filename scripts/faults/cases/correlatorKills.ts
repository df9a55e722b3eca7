import path from 'node:path';
import { createDb } from '../../../services/shared/db';
import { outputSnapshot, settleBySweep, snapshotDiff, verify, kafkaCensus } from '../checks';
import { committedSum, lagOf, until } from '../probe';
import { HubProcess } from '../services';
import { CaseResult, Suite, sleep } from '../suite';
import { EVENT_TYPES } from '../../../services/shared/contract';
import { submitAll } from '../ledger';
import { SUBMIT_ORDER, byType, cityRecords } from '../records';

/** Enough events that every kill lands while the replay still has work (a city's records per employer: ~22). */
const MIN_EVENTS = 100_000;

/**
 * A replay of everything on the topics into an empty database, by a correlator killed with
 * SIGKILL at random moments `kills` times and started again each time; then the same replay by
 * one that is left alone. Both must hold every taken record once, and the same alerts and
 * recommendations, each once.
 */
export async function correlatorKillsCase(s: Suite, kills: number): Promise<CaseResult> {
  const began = Date.now();
  const failures: string[] = [];
  const measurements: [string, string][] = [];
  const replayDb = 'whp_faults_replay';
  const referenceDb = 'whp_faults_reference';
  await s.stack.createDatabase(replayDb);
  await s.stack.createDatabase(referenceDb);
  const correlatorEnv = (db: string, group: string, txEvents: string) => ({
    ...s.stack.env(db),
    WHP_CORRELATOR_GROUP: group,
    WHP_CORRELATOR_START: 'earliest',
    WHP_KAFKA_SESSION_TIMEOUT_MS: '6000',
    WHP_SWEEP_CRON: '',
    WHP_CORRELATOR_TX_EVENTS: txEvents,
  });
  const replay = new HubProcess('correlator', 18171, correlatorEnv(replayDb, 'whp-faults-replay', '300'), path.join(s.outDir, 'correlator-replay.log'));
  const db = createDb(s.stack.databaseUrl(replayDb), 2);
  let total = await lagOf(s.db, s.admin, 'whp-faults-nobody'); // every event on the topics
  if (total < MIN_EVENTS) {
    const more = byType(cityRecords(`${s.run}-kills`, Math.ceil((MIN_EVENTS - total) / 22), 10_000));
    for (const type of SUBMIT_ORDER) {
      const g = more.get(type);
      if (g) await submitAll(s.gateway.url, s.ledger, type, g.department, g.records);
    }
    total = await lagOf(s.db, s.admin, 'whp-faults-nobody');
  }
  measurements.push(['events on the topics', total.toLocaleString('en-US')]);

  let midStream = 0;
  try {
    for (let k = 0; k < kills; k++) {
      if (k > 0 && (await lagOf(db, s.admin, 'whp-faults-replay')) === 0) break; // nothing left to interrupt
      await replay.start();
      const before = await committedSum(db, 'whp-faults-replay');
      // Wait for progress, then kill at a random moment while it works.
      const progressed = await until(async () => (await committedSum(db, 'whp-faults-replay')) > before, 120_000, 50);
      if (progressed === null) {
        failures.push(`replay made no progress within 120 s after start ${k + 1}`);
        break;
      }
      await sleep(Math.floor(Math.random() * 1_500));
      const lag = await lagOf(db, s.admin, 'whp-faults-replay');
      await replay.kill9();
      if (lag > 0) midStream++;
      s.log(`  kill ${k + 1}/${kills}: ${lag.toLocaleString('en-US')} events still to replay`);
    }
    if (!replay.running) await replay.start();
    const caughtUp = await until(async () => (await lagOf(db, s.admin, 'whp-faults-replay')) === 0, 600_000, 500);
    if (caughtUp === null) failures.push('the killed replay did not catch up within 10 minutes');
    await sleep(2_000); // the outbox of the last batch
  } finally {
    await replay.stop();
  }
  measurements.push(['kill -9 of the correlator', `${kills} times at random moments, ${midStream} of them with events still to replay`]);
  if (midStream < kills) failures.push(`only ${midStream} of ${kills} kills came while events were still to replay (make the replay longer)`);

  // The same replay, undisturbed.
  const reference = new HubProcess('correlator', 18172, correlatorEnv(referenceDb, 'whp-faults-reference', '4000'), path.join(s.outDir, 'correlator-reference.log'));
  const refDb = createDb(s.stack.databaseUrl(referenceDb), 2);
  try {
    const t0 = Date.now();
    await reference.start();
    const done = await until(async () => (await lagOf(refDb, s.admin, 'whp-faults-reference')) === 0, 600_000, 500);
    if (done === null) failures.push('the reference replay did not finish within 10 minutes');
    measurements.push(['undisturbed reference replay', `${((Date.now() - t0) / 1000).toFixed(1)} s`]);
  } finally {
    await reference.stop();
  }

  const census = await kafkaCensus(s.stack.env(), [...EVENT_TYPES]);
  const v = await verify(s.ledger, census, db);
  measurements.push(['killed replay: taken records in its state', `${v.recordsChecked.toLocaleString('en-US')} checked, ${v.lostInState} missing, ${v.duplicatedInState} duplicated`]);
  if (v.lostInState || v.duplicatedInState) failures.push(`killed replay: ${v.lostInState} missing, ${v.duplicatedInState} duplicated (${v.examples.join('; ')})`);
  await settleBySweep([db, refDb]);
  const [got, want] = await Promise.all([outputSnapshot(db), outputSnapshot(refDb)]);
  const a = snapshotDiff(got.alerts, want.alerts);
  const r = snapshotDiff(got.recommendations, want.recommendations);
  measurements.push(['alerts and recommendations', `${got.alerts.length} alerts, ${got.recommendations.length} recommendations; against the reference: ${a.onlyA.length + r.onlyA.length} extra, ${a.onlyB.length + r.onlyB.length} missing`]);
  if (want.alerts.length === 0) failures.push('the reference has no alerts: nothing to compare');
  if (a.onlyA.length || a.onlyB.length) failures.push(`alerts differ from the reference: ${a.onlyA.length} extra (${a.onlyA[0] ?? ''}), ${a.onlyB.length} missing (${a.onlyB[0] ?? ''})`);
  if (r.onlyA.length || r.onlyB.length) failures.push(`recommendations differ from the reference: ${r.onlyA.length} extra, ${r.onlyB.length} missing`);
  await db.destroy();
  await refDb.destroy();
  return { name: 'correlator-kills', faults: kills, seconds: (Date.now() - began) / 1000, measurements, failures, resume: {} };
}
