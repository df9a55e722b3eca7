import {
  citizenIdCheckChar,
  citizenIdProblem,
  employerKey,
  normalizeEmployerName,
  pseudonymize,
  regionCodeProblem,
  usccCheckChar,
  usccProblem,
} from './identifiers';

describe('统一社会信用代码 (GB 32100)', () => {
  test('a code with the right check character is valid', () => {
    expect(usccProblem('91321302MA1XYW001J')).toBeNull();
    // A published code of a real enterprise (Huawei Technologies), check character computed independently.
    expect(usccProblem('914403001922038216')).toBeNull();
  });
  test('a wrong check character is named with the expected one', () => {
    expect(usccProblem('91321302MA1XYW001K')).toBe('统一社会信用代码校验位错误（应为 J，实际为 K）');
  });
  test('letters outside the alphabet and wrong lengths are refused', () => {
    expect(usccProblem('91321302MA1XYZ001J')).toMatch(/非法字符“Z”/);
    expect(usccProblem('9132130')).toMatch(/应为 18 位/);
  });
  test('a remainder of 0 gives check character 0, not 31', () => {
    // Search bodies until one has sum ≡ 0 (mod 31): its check character must be '0'.
    let found = '';
    for (let n = 0; n < 10_000 && !found; n++) {
      const body = `9132130200000${String(n).padStart(4, '0')}`;
      if (usccCheckChar(body) === '0') found = body;
    }
    expect(found).not.toBe('');
    expect(usccProblem(`${found}0`)).toBeNull();
  });
});

describe('公民身份号码 (GB 11643)', () => {
  test('the standard example number is valid', () => {
    expect(citizenIdProblem('11010519491231002X')).toBeNull();
    expect(citizenIdCheckChar('11010519491231002')).toBe('X');
  });
  test('a wrong check digit is refused', () => {
    expect(citizenIdProblem('110105194912310021')).toMatch(/校验位错误/);
  });
  test('an impossible or future birth date is refused', () => {
    const body = '32130220230231123';
    expect(citizenIdProblem(body + citizenIdCheckChar(body))).toBe('身份证号中的出生日期无效');
    const future = '32130221000101123';
    expect(citizenIdProblem(future + citizenIdCheckChar(future), new Date('2026-11-24'))).toBe('身份证号中的出生日期晚于今天');
  });
});

test('行政区划代码 must be six digits under a province-level code', () => {
  expect(regionCodeProblem('321302')).toBeNull();
  expect(regionCodeProblem('32130')).toMatch(/6 位数字/);
  expect(regionCodeProblem('991302')).toMatch(/不是省级代码/);
});

test('a pseudonym is stable per key, differs across keys, and never contains the number', () => {
  const id = '11010519491231002X';
  const a = pseudonymize(id, 'k'.repeat(32));
  expect(pseudonymize(id.toLowerCase(), 'k'.repeat(32))).toBe(a);
  expect(pseudonymize(id, 'j'.repeat(32))).not.toBe(a);
  expect(a).toMatch(/^psn_[\w-]{32}$/);
  expect(a).not.toContain('110105');
});

test('employer names that differ only in form normalise to one key', () => {
  expect(normalizeEmployerName('宿迁 示例建材有限责任公司（宿城）')).toBe(normalizeEmployerName('宿迁示例建材有限公司(宿城)'));
  expect(employerKey(null, '宿迁示例建材有限公司', '321302')).toBe('N:321302:宿迁示例建材有限公司');
  expect(employerKey('91321302MA1XYW001J', 'x', '321302')).toBe('91321302MA1XYW001J');
});
