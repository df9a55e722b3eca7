import { storable } from './deadLetter';

test('a rejected record id or reason holding NUL, control characters or a lone surrogate can still be stored', () => {
  expect(storable('A\u0000B\u0007C', 128)).toBe('A\uFFFDB\uFFFDC');
  expect(storable('x\ud800y', 128)).toBe('x\uFFFDy');
  expect(storable('x\udc00', 128)).toBe('x\uFFFD');
  expect(storable('行\t内\n换行', 128)).toBe('行\t内\n换行');
});

test('a rejected record id longer than the column is cut on a whole character', () => {
  expect(storable('a'.repeat(300), 128)).toHaveLength(128);
  const cut = storable('a'.repeat(127) + '𠮷', 128);
  expect(cut).toBe('a'.repeat(127));
});
