import { connectStack, readAfter, Stack } from '../../test/stack';
import { EVENT_TYPES, subjectOf } from './contract';
import { AvroProducer } from './kafka';
import { readSchema } from './avro';
import { registerSchema } from './registry';
import { sampleEvents } from './samples';

let stack: Stack;
beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true }); // its own database: migrations of a branch never reach the shared one
});
afterAll(async () => {
  await stack?.close();
});

test('an Avro event of every contract type goes through the registry to Kafka and comes back equal', async () => {
  const suffix = stack.unique('rt');
  const samples = sampleEvents(suffix);
  const producer = await AvroProducer.connect(stack.kafka, stack.registry, stack.ids);
  try {
    const msgs = await readAfter(
      stack,
      [...EVENT_TYPES],
      async () => {
        for (const type of EVENT_TYPES) {
          const value = samples[type];
          await producer.send(type, [{ key: String(value.employerKey), value }]);
        }
      },
      (m) => m.filter((x) => String(x.value.eventId).endsWith(suffix)).length === EVENT_TYPES.length,
    );
    for (const type of EVENT_TYPES) {
      const got = msgs.find((m) => m.topic === `whp.${type}.v1` && m.value.eventId === samples[type].eventId);
      expect(got).toBeDefined();
      expect(got!.key).toBe(samples[type].employerKey);
      expect({ ...got!.value }).toEqual(samples[type]);
    }
  } finally {
    await producer.disconnect();
  }
});

test('the plan’s other instruments: every enum symbol, a yearly and a quarterly period and an absent 重点岗位总人数 come back equal', async () => {
  const suffix = stack.unique('rt-instruments');
  const s = sampleEvents(suffix);
  const variants: { type: 'contribution' | 'benefit' | 'training' | 'inspection'; value: Record<string, unknown> }[] = [
    { type: 'contribution', value: { ...s.contribution, eventId: `CON-Y-${suffix}`, period: '2025', rate: 0.0045, rateClass: 1 } },
    ...['MEDICAL', 'DISABILITY', 'DEATH', 'OTHER'].map((kind) => ({ type: 'benefit' as const, value: { ...s.benefit, eventId: `BEN-${kind}-${suffix}`, kind } })),
    { type: 'training', value: { ...s.training, eventId: `TRN-N-${suffix}`, department: 'union', keyPostTotal: null } },
    ...['RANDOM', 'LISTED', 'FOLLOW_UP', 'OTHER'].flatMap((origin) =>
      ['COMPLIANT', 'HAZARD_FOUND'].map((finding) => ({ type: 'inspection' as const, value: { ...s.inspection, eventId: `INS-${origin}-${finding}-${suffix}`, origin, finding } })),
    ),
  ];
  const producer = await AvroProducer.connect(stack.kafka, stack.registry, stack.ids);
  try {
    const msgs = await readAfter(
      stack,
      ['contribution', 'benefit', 'training', 'inspection'],
      async () => {
        for (const v of variants) await producer.send(v.type, [{ key: String(v.value.employerKey), value: v.value }]);
      },
      (m) => m.filter((x) => String(x.value.eventId).endsWith(suffix)).length === variants.length,
    );
    expect(variants).toHaveLength(14);
    for (const v of variants) {
      const got = msgs.find((m) => m.topic === `whp.${v.type}.v1` && m.value.eventId === v.value.eventId);
      expect({ ...got?.value }).toEqual(v.value);
    }
  } finally {
    await producer.disconnect();
  }
});

test('the schemas: 说明 of an inspection defaults to empty text, 重点岗位总人数 of a training to null, 检查来源 has the contract symbols', () => {
  const fields = readSchema('inspection').fields as { name: string; default?: unknown }[];
  expect(fields.find((f) => f.name === 'note')).toMatchObject({ default: '' });
  expect(fields.find((f) => f.name === 'origin')).toMatchObject({ type: { symbols: ['RANDOM', 'LISTED', 'FOLLOW_UP', 'OTHER'] } });
  const training = readSchema('training').fields as { name: string; type: unknown; default?: unknown }[];
  expect(training.find((f) => f.name === 'keyPostTotal')).toMatchObject({ type: ['null', 'int'], default: null });
});

test('every contract subject is registered with BACKWARD compatibility', async () => {
  for (const type of EVENT_TYPES) {
    const res = await fetch(`${stack.config.registryUrl}/config/${subjectOf(type)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { compatibilityLevel: string }).compatibilityLevel).toBe('BACKWARD');
  }
});

describe('schema evolution under BACKWARD compatibility', () => {
  const base = readSchema('accident');
  const fields = base.fields as Record<string, unknown>[];

  test('the registry refuses a new required field without a default', async () => {
    const subject = `${stack.unique('compat-test')}-value`;
    await registerSchema(stack.registry, subject, base);
    const incompatible = { ...base, fields: [...fields, { name: 'weather', type: 'string' }] };
    await expect(registerSchema(stack.registry, subject, incompatible)).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
  });

  test('the registry accepts a new optional field with a default', async () => {
    const subject = `${stack.unique('compat-test')}-value`;
    const first = await registerSchema(stack.registry, subject, base);
    const compatible = { ...base, fields: [...fields, { name: 'weather', type: ['null', 'string'], default: null }] };
    const second = await registerSchema(stack.registry, subject, compatible);
    expect(second).not.toBe(first);
  });
});

describe('contract v2: revisions of corrected events', () => {
  const V2_FIELDS = ['revision', 'firstIngestedAt', 'exposedWorkers'];
  test.each([...EVENT_TYPES])('%s carries revision (default 1) and firstIngestedAt (default null)', (type) => {
    const fields = readSchema(type).fields as { name: string; type: unknown; default?: unknown; doc?: string }[];
    expect(fields.find((f) => f.name === 'revision')).toMatchObject({ type: 'int', default: 1, doc: expect.stringMatching(/^修订号/) });
    expect(fields.find((f) => f.name === 'firstIngestedAt')).toMatchObject({ type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null });
  });
  test.each([...EVENT_TYPES])('the registry takes the %s schema as a BACKWARD-compatible successor of the one without them', async (type) => {
    const current = readSchema(type);
    const v1 = { ...current, fields: (current.fields as { name: string }[]).filter((f) => !V2_FIELDS.includes(f.name)) };
    const subject = `${stack.unique(`v2-${type}`)}-value`;
    const first = await registerSchema(stack.registry, subject, v1);
    const second = await registerSchema(stack.registry, subject, current);
    expect(second).not.toBe(first);
  });
});
