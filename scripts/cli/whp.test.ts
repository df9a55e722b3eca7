import { displayWidth, formatTable, summarize } from './whp';

describe('the CLI summary', () => {
  test('Chinese characters take two columns so tables line up', () => {
    expect(displayWidth('事故ab')).toBe(6);
    const t = formatTable(['列', 'x'], [['身份证号', '1']]).split('\n');
    expect(new Set(t.map(displayWidth)).size).toBe(1);
  });
  test('a few rejections are listed row by row', () => {
    const s = summarize({ accepted: 1, corrected: 0, duplicates: 0, rejected: [{ row: 3, column: '死亡人数', reason: '死亡人数：不能小于 0，实际为 -1' }] }, '/x/季报.csv');
    expect(s).toMatch(/│ 3\s+│ 死亡人数\s+│ 死亡人数：不能小于 0，实际为 -1 │/);
    expect(s).not.toContain('汇总');
  });
  test('thousands of rejections are grouped by column and reason, with the count and example rows', () => {
    const rejected = Array.from({ length: 3000 }, (_, i) => ({ row: i + 2, column: '生效日期', reason: `生效日期：日期格式应为 YYYY-MM-DD 或 YYYY/M/D，实际为 “x${i}”` }));
    rejected.push({ row: 4000, column: '身份证号', reason: '身份证号校验位错误（应为 7）' });
    const s = summarize({ accepted: 10, corrected: 0, duplicates: 0, rejected }, '季报.csv');
    expect(s).toMatch(/│ 生效日期\s+│ 生效日期：日期格式应为 YYYY-MM-DD 或 YYYY\/M\/D\s+│ 3000 │ 2, 3, 4, 5, 6, 7, 8, 9 … │/);
    expect(s).toMatch(/│ 身份证号\s+│ 身份证号校验位错误（应为 7）\s+│ 1\s+│ 4000/);
    expect(s).toContain('拒收明细（前 50 行）');
    expect(s.split('\n').length).toBeLessThan(120);
  });
  test('corrections are counted as 更正 among the accepted, and said so', () => {
    const s = summarize({ accepted: 3, corrected: 2, duplicates: 1, rejected: [] }, '项目季报.xlsx');
    expect(s).toMatch(/已接收 accepted\s+│ 其中更正 corrected\s+│ 重复 duplicates/);
    expect(s).toMatch(/│ 3\s+│ 2\s+│ 1\s+│ 0\s+│ 4\s+│/);
    expect(s).toContain('其中 2 条为更正');
  });
  test('skipped 合计 rows are listed as skipped, not counted as submitted records', () => {
    const s = summarize({ accepted: 2, corrected: 0, duplicates: 0, rejected: [], skipped: [{ row: 6, reason: '小计行，已跳过' }, { row: 7, reason: '合计行，已跳过' }] }, '事故季报.xlsx');
    expect(s).toMatch(/│ 2\s+│ 0\s+│ 0\s+│ 0\s+│ 2\s+│/);
    expect(s).toContain('已跳过 2 行（合计、小计等，不是记录）：第 6 行（小计行）、第 7 行（合计行）');
  });
});
