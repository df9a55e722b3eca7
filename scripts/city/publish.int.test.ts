import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { startGateway, Gateway } from '../../services/ingest-gateway/gateway';
import { createLogger } from '../../services/shared/logger';
import { writeCity } from './generate';
import { publishCity } from './publish';
import { CITY_FILES } from './writers';

// The synthetic city through the real gateway, Kafka, registry and PostgreSQL.
let stack: Stack;
let gateway: Gateway;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-city-int-'));

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger: createLogger('test', 'silent') });
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('every department’s file of a synthetic city is taken row for row, rejecting exactly the planted dirty rows', async () => {
  await writeCity({ seed: 11, employers: 120, asOf: '2026-11-20', out: tmp, formats: ['xlsx'] });
  const results = await publishCity({ dir: tmp, gatewayUrl: gateway.url, format: 'xlsx' });
  expect(results).toHaveLength(CITY_FILES.length);
  for (const r of results) {
    expect(r.error).toBeUndefined();
    expect(r.accepted + r.duplicates + r.rejected).toBe(r.rows);
    expect(r.rejected).toBe(r.expectedRejections);
  }
  expect(results.reduce((s, r) => s + r.accepted, 0)).toBeGreaterThan(1000);
  // The plan's other instruments went through too: 缴费, 待遇支付, 培训 (three departments), 检查.
  const accepted = (type: string, dept?: string) => results.filter((r) => r.type === type && (!dept || r.dept === dept)).reduce((s, r) => s + r.accepted, 0);
  for (const type of ['contribution', 'benefit', 'training', 'inspection']) expect({ type, accepted: accepted(type) > 0 }).toEqual({ type, accepted: true });
  for (const dept of ['hrss', 'emergency', 'union']) expect({ dept, accepted: accepted('training', dept) > 0 }).toEqual({ dept, accepted: true });
  // A second upload of the same files: every accepted record is now a duplicate.
  const again = await publishCity({ dir: tmp, gatewayUrl: gateway.url, format: 'xlsx' });
  for (const [i, r] of again.entries()) {
    expect(r.accepted).toBe(0);
    expect(r.duplicates).toBe(results[i].accepted + results[i].duplicates);
  }
});
