import { NOTHING_CHANGED, heldTransactions, partitionEvents, sleep } from '../../test/fixtures/heldTransactions';
import { Gatherer } from './gather';

/** The gatherer alone, with transactions that end when the test says so (no database). */

test('batches of several partitions arriving within the wait go into one transaction', async () => {
  const { taken, process } = heldTransactions();
  const g = new Gatherer(process, 20, 1000);
  const a = g.add(partitionEvents(0, 10));
  const b = g.add(partitionEvents(1, 10));
  await sleep(40);
  expect(taken.map((t) => t.partitions)).toEqual([[0, 1]]);
  taken[0].end();
  await expect(Promise.all([a, b])).resolves.toEqual([NOTHING_CHANGED, NOTHING_CHANGED]);
});

test('what arrives while a transaction runs is taken together by the next one, not split up', async () => {
  const { taken, process } = heldTransactions();
  const g = new Gatherer(process, 20, 1000);
  const first = g.add(partitionEvents(0, 10));
  await sleep(40);
  const later = [1, 2, 3].map((p) => g.add(partitionEvents(p, 10)));
  await sleep(30);
  const last = g.add(partitionEvents(4, 10));
  await sleep(40);
  expect(taken).toHaveLength(1); // nothing starts while the first runs
  taken[0].end();
  await first;
  await sleep(40);
  expect(taken.map((t) => t.partitions)).toEqual([[0], [1, 2, 3, 4]]);
  taken[1].end();
  await expect(Promise.all([...later, last])).resolves.toHaveLength(4);
});

test('a full transaction starts at once; a failed one fails only its own callers', async () => {
  const { taken, process } = heldTransactions();
  const g = new Gatherer(process, 10_000, 100);
  const full = g.add(partitionEvents(0, 100));
  await sleep(5);
  expect(taken.map((t) => t.size)).toEqual([100]);
  const next = g.add(partitionEvents(1, 100));
  taken[0].end(new Error('database gone'));
  await expect(full).rejects.toThrow('database gone');
  await sleep(5);
  expect(taken.map((t) => t.size)).toEqual([100, 100]);
  taken[1].end();
  await expect(next).resolves.toEqual(NOTHING_CHANGED);
});
