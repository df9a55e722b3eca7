import { InputEvent, ProcessResult } from './batch';
import { Gatherer } from './gather';

/** The gatherer alone, with a transaction that ends when the test says so (no database). */
const events = (partition: number, n: number): InputEvent[] =>
  Array.from({ length: n }, (_, i) => ({ topic: 'whp.enrollment.v1', partition, offset: String(i), value: {} }));
const result: ProcessResult = { newFacts: 0, skipped: 0, employersEvaluated: 0, alertsChanged: 0 };

function transactions() {
  const taken: { partitions: number[]; size: number; end: (err?: Error) => void }[] = [];
  const process = (list: InputEvent[]) =>
    new Promise<ProcessResult>((resolve, reject) => {
      taken.push({ partitions: [...new Set(list.map((e) => e.partition))].sort(), size: list.length, end: (err) => (err ? reject(err) : resolve(result)) });
    });
  return { taken, process };
}
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('batches of several partitions arriving within the wait go into one transaction', async () => {
  const { taken, process } = transactions();
  const g = new Gatherer(process, 20, 1000);
  const a = g.add(events(0, 10));
  const b = g.add(events(1, 10));
  await tick(40);
  expect(taken.map((t) => t.partitions)).toEqual([[0, 1]]);
  taken[0].end();
  await expect(Promise.all([a, b])).resolves.toEqual([result, result]);
});

test('what arrives while a transaction runs is taken together by the next one, not split up', async () => {
  const { taken, process } = transactions();
  const g = new Gatherer(process, 20, 1000);
  const first = g.add(events(0, 10));
  await tick(40);
  const later = [1, 2, 3].map((p) => g.add(events(p, 10)));
  await tick(30);
  const last = g.add(events(4, 10));
  await tick(40);
  expect(taken).toHaveLength(1); // nothing starts while the first runs
  taken[0].end();
  await first;
  await tick(40);
  expect(taken.map((t) => t.partitions)).toEqual([[0], [1, 2, 3, 4]]);
  taken[1].end();
  await expect(Promise.all([...later, last])).resolves.toHaveLength(4);
});

test('a full transaction starts at once; a failed one fails only its own callers', async () => {
  const { taken, process } = transactions();
  const g = new Gatherer(process, 10_000, 100);
  const full = g.add(events(0, 100));
  await tick(5);
  expect(taken.map((t) => t.size)).toEqual([100]);
  const next = g.add(events(1, 100));
  taken[0].end(new Error('database gone'));
  await expect(full).rejects.toThrow('database gone');
  await tick(5);
  expect(taken.map((t) => t.size)).toEqual([100, 100]);
  taken[1].end();
  await expect(next).resolves.toEqual(result);
});
