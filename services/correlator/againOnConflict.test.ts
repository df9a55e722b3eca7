import { againOnConflict } from './batch';

/** The slice's transaction, as PostgreSQL answers it: aborted to break a lock cycle, or not. */
const failing = (codes: string[], answer = 'committed') => {
  let calls = 0;
  const run = async () => {
    const code = codes[calls++];
    if (code) throw Object.assign(new Error(`PostgreSQL ${code}`), { code });
    return answer;
  };
  return { run, calls: () => calls };
};

test('a transaction aborted to break a lock cycle is run again, and its answer is the one taken', async () => {
  const tx = failing(['40P01', '40P01']);
  await expect(againOnConflict(tx.run)).resolves.toBe('committed');
  expect(tx.calls()).toBe(3);
});

test('any other failure is not run again', async () => {
  const tx = failing(['23505']);
  await expect(againOnConflict(tx.run)).rejects.toMatchObject({ code: '23505' });
  expect(tx.calls()).toBe(1);
});

test('a cycle that keeps coming back fails after the attempts allowed', async () => {
  const tx = failing(['40P01', '40001', '40P01']);
  await expect(againOnConflict(tx.run, 3)).rejects.toMatchObject({ code: '40P01' });
  expect(tx.calls()).toBe(3);
});
