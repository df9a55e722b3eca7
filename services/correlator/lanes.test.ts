import { NOTHING_CHANGED, heldTransactions, partitionEvents, sleep } from '../../test/fixtures/heldTransactions';
import { Gatherer } from './gather';
import { Lanes } from './lanes';

/** Lanes of gatherers whose transactions end when the test says so (no database). */

function lanesOf(count: number) {
  const { taken: running, process } = heldTransactions();
  return { lanes: new Lanes(count, () => new Gatherer(process, 10, 1000)), running };
}

test("an employer's register record and its enrollments (one partition number on two topics) are taken in one transaction", async () => {
  const { lanes, running } = lanesOf(4);
  const register = lanes.add(5, partitionEvents(5, 1, 'whp.employer.v1'));
  const enrolled = lanes.add(5, partitionEvents(5, 20, 'whp.enrollment.v1'));
  await sleep(30);
  expect(running.map((t) => t.topics)).toEqual([['whp.employer.v1', 'whp.enrollment.v1']]);
  running[0].end();
  await expect(Promise.all([register, enrolled])).resolves.toEqual([NOTHING_CHANGED, NOTHING_CHANGED]);
});

test('partitions of different lanes are in transactions that run at the same time', async () => {
  const { lanes, running } = lanesOf(2);
  const even = lanes.add(0, partitionEvents(0, 10, 'whp.enrollment.v1'));
  const odd = lanes.add(1, partitionEvents(1, 10, 'whp.enrollment.v1'));
  await sleep(30);
  // Both started, neither has ended.
  expect(running.map((t) => t.partitions).sort()).toEqual([[0], [1]]);
  running.forEach((t) => t.end());
  await expect(Promise.all([even, odd])).resolves.toEqual([NOTHING_CHANGED, NOTHING_CHANGED]);
});

test('partitions of the same lane wait for its running transaction', async () => {
  const { lanes, running } = lanesOf(2);
  const first = lanes.add(0, partitionEvents(0, 10, 'whp.enrollment.v1'));
  await sleep(30);
  const second = lanes.add(2, partitionEvents(2, 10, 'whp.enrollment.v1'));
  await sleep(30);
  expect(running.map((t) => t.partitions)).toEqual([[0]]);
  running[0].end();
  await first;
  await sleep(30);
  expect(running.map((t) => t.partitions)).toEqual([[0], [2]]);
  running[1].end();
  await expect(second).resolves.toEqual(NOTHING_CHANGED);
});

test('a lane count that is not a positive whole number is refused', () => {
  expect(() => lanesOf(0)).toThrow(RangeError);
});
