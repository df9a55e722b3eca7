/**
 * The correlator's batch processor alone, without Kafka: the benchmark mix fed straight into
 * processBatch on a scratch database, for profiling (`node --cpu-prof --import tsx
 * scripts/bench/correlatorDirect.ts --employers 2000`) and for before/after figures of a change.
 */
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../../test/stack';
import { loadConfig } from '../../services/shared/config';
import { topicOf } from '../../services/shared/contract';
import { loadRegionConfig } from '../../services/shared/regionConfig';
import { InputEvent, MAX_EVENTS_PER_TRANSACTION, processBatch } from '../../services/correlator/batch';
import { eventMix } from './mix';

async function main() {
  const { values } = parseArgs({ options: { employers: { type: 'string', default: '2000' } } });
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const scratch = await createScratchDatabase(config.databaseUrl);
  const db = scratch.db;
  try {
    const events: InputEvent[] = [...eventMix(`direct-${Date.now()}`, Number(values.employers))].map((e, i) => ({ topic: topicOf(e.type), partition: 0, offset: String(i), value: e.value as never }));
    const region = loadRegionConfig({});
    const started = Date.now();
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_TRANSACTION) await processBatch(db, 'direct', events.slice(i, i + MAX_EVENTS_PER_TRANSACTION), region);
    const ms = Date.now() - started;
    console.log(`${events.length} events in ${ms} ms: ${Math.round((events.length / ms) * 1000)} events/s`);
  } finally {
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
