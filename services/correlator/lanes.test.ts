import { InputEvent, ProcessResult } from './batch';
import { Gatherer } from './gather';
import { Lanes } from './lanes';

/** Lanes of gatherers whose transactions end when the test says so (no database). */
const events = (topic: string, partition: number, n: number): InputEvent[] =>
  Array.from({ length: n }, (_, i) => ({ topic, partition, offset: String(i), value: {} }));
const result: ProcessResult = { newFacts: 0, skipped: 0, employersEvaluated: 0, alertsChanged: 0 };
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lanesOf(count: number) {
  const running: { topics: string[]; partitions: number[]; end: () => void }[] = [];
  const lanes = new Lanes(
    count,
    () =>
      new Gatherer(
        (list) =>
          new Promise<ProcessResult>((resolve) => {
            running.push({ topics: [...new Set(list.map((e) => e.topic))].sort(), partitions: [...new Set(list.map((e) => e.partition))].sort(), end: () => resolve(result) });
          }),
        10,
        1000,
      ),
  );
  return { lanes, running };
}

test("an employer's register record and its enrollments (one partition number on two topics) are taken in one transaction", async () => {
  const { lanes, running } = lanesOf(4);
  const register = lanes.add(5, events('whp.employer.v1', 5, 1));
  const enrolled = lanes.add(5, events('whp.enrollment.v1', 5, 20));
  await tick(30);
  expect(running.map((t) => t.topics)).toEqual([['whp.employer.v1', 'whp.enrollment.v1']]);
  running[0].end();
  await expect(Promise.all([register, enrolled])).resolves.toEqual([result, result]);
});

test('partitions of different lanes are in transactions that run at the same time', async () => {
  const { lanes, running } = lanesOf(2);
  const even = lanes.add(0, events('whp.enrollment.v1', 0, 10));
  const odd = lanes.add(1, events('whp.enrollment.v1', 1, 10));
  await tick(30);
  // Both started, neither has ended.
  expect(running.map((t) => t.partitions).sort()).toEqual([[0], [1]]);
  running.forEach((t) => t.end());
  await expect(Promise.all([even, odd])).resolves.toEqual([result, result]);
});

test('partitions of the same lane wait for its running transaction', async () => {
  const { lanes, running } = lanesOf(2);
  const first = lanes.add(0, events('whp.enrollment.v1', 0, 10));
  await tick(30);
  const second = lanes.add(2, events('whp.enrollment.v1', 2, 10));
  await tick(30);
  expect(running.map((t) => t.partitions)).toEqual([[0]]);
  running[0].end();
  await first;
  await tick(30);
  expect(running.map((t) => t.partitions)).toEqual([[0], [2]]);
  running[1].end();
  await expect(second).resolves.toEqual(result);
});

test('a lane count that is not a positive whole number is refused', () => {
  expect(() => lanesOf(0)).toThrow(RangeError);
});
