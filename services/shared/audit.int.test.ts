import { connectStack, Stack } from '../../test/stack';
import { appendAudit, verifyAudit } from './audit';

/** The audit log's guarantees on the real PostgreSQL (a fresh database): append-only, gapless, chained. */
let stack: Stack;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
});
afterAll(async () => {
  await stack?.close();
});

test('the database refuses to change, delete or empty the audit log', async () => {
  await appendAudit(stack.db, { actor: 'hrss', action: 'READ_AUDIT', object: 'audit_log' });
  await expect(stack.db('audit_log').update({ actor: 'union' })).rejects.toThrow(/只能追加/);
  await expect(stack.db('audit_log').delete()).rejects.toThrow(/只能追加/);
  await expect(stack.db.raw('truncate audit_log')).rejects.toThrow(/只能追加/);
});

test('entries appended by twenty writers at once are numbered without gaps and chained', async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => appendAudit(stack.db, [
      { actor: 'emergency', action: 'PUBLISH', object: 'accident', detail: { writer: i, part: 1 } },
      { actor: 'emergency', action: 'PUBLISH', object: 'accident', detail: { writer: i, part: 2 } },
    ])),
  );
  const seqs = (await stack.db('audit_log').orderBy('seq').pluck('seq')).map(Number);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect(seqs.length).toBe(41);
  const v = await verifyAudit(stack.db, { pageSize: 7 }); // pages cut through the chain
  expect(v.problems).toEqual([]);
  expect(v.checked).toBe(41);
});

test('an entry rolled back with its transaction leaves no trace and no gap', async () => {
  await expect(
    stack.db.transaction(async (trx) => {
      await appendAudit(trx, { actor: 'health', action: 'PUBLISH', object: 'hazard' });
      throw new Error('the batch failed');
    }),
  ).rejects.toThrow('the batch failed');
  await appendAudit(stack.db, { actor: 'health', action: 'PUBLISH', object: 'hazard' });
  const seqs = (await stack.db('audit_log').orderBy('seq').pluck('seq')).map(Number);
  expect(seqs[seqs.length - 1]).toBe(seqs.length);
  expect((await verifyAudit(stack.db)).problems).toEqual([]);
});
