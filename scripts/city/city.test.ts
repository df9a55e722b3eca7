import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { citizenIdProblem, regionCodeProblem, usccProblem } from '../../services/shared/identifiers';
import { City, CityOptions, WINDOW_DAYS, typoYear } from './city';
import { CityRecord, RowOf, headersOf } from './columns';
import { writeCity } from './generate';
import { FACTORS, HazardFactor, industry as industryOf, isDustIndustry } from './catalog';

const AS_OF = '2026-11-20';
const DAY = 86400000;

function collect(opts: CityOptions): { city: City; records: CityRecord[]; of: <T extends keyof RowOf>(t: T) => (RowOf[T] & { dept: string })[] } {
  const city = new City(opts);
  const records = [...city.records()];
  const byType = new Map<string, unknown[]>();
  const of = <T extends keyof RowOf>(t: T) => {
    if (!byType.has(t)) byType.set(t, records.filter((r) => r.type === t).map((r) => ({ ...(r.row as RowOf[T]), dept: r.dept })));
    return byType.get(t) as (RowOf[T] & { dept: string })[];
  };
  return { city, records, of };
}

function hashRecords(records: Iterable<CityRecord>): string {
  const h = crypto.createHash('sha256');
  for (const r of records) h.update(`${r.dept}|${r.type}|${JSON.stringify(r.row)}\n`);
  return h.digest('hex');
}

function hashDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-city-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// One county-size city shared by the tests that only read it.
const county = collect({ seed: 42, employers: 1500, asOf: AS_OF });

describe('the synthetic city', () => {
  test('the same seed and size give byte-identical files, CSV and XLSX', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await writeCity({ seed: 7, employers: 200, asOf: AS_OF, out: a, formats: ['csv', 'xlsx'] });
    await writeCity({ seed: 7, employers: 200, asOf: AS_OF, out: b, formats: ['csv', 'xlsx'] });
    const ha = hashDir(a);
    expect(Object.keys(ha)).toContain('hrss/enrollment.xlsx');
    expect(Object.keys(ha)).toContain('manifest.json');
    expect(hashDir(b)).toEqual(ha);
  });

  test('a different seed gives a different city', () => {
    const x = hashRecords(new City({ seed: 1, employers: 200, asOf: AS_OF }).records());
    const y = hashRecords(new City({ seed: 2, employers: 200, asOf: AS_OF }).records());
    const x2 = hashRecords(new City({ seed: 1, employers: 200, asOf: AS_OF }).records());
    expect(x).not.toBe(y);
    expect(x2).toBe(x);
  });

  test('every USCC and citizen ID passes its check, except the planted bad ones, which fail', () => {
    const bad = new Map(county.city.planted.dirty.listed.map((d) => [d.id, d.kind]));
    expect(county.city.planted.dirty.counts.badUscc).toBeGreaterThan(0);
    expect(county.city.planted.dirty.counts.badPersonId).toBeGreaterThan(0);
    let usccChecked = 0;
    let idsChecked = 0;
    const problems: string[] = [];
    const today = new Date(`${AS_OF}T00:00:00Z`);
    const fail = (row: { id: string }, what: string): number => problems.push(`${row.id}: ${what}`);
    for (const r of county.records) {
      const row = r.row as { id: string; uscc: string; regionCode: string; personId?: string };
      if (regionCodeProblem(row.regionCode)) fail(row, `region ${row.regionCode}`);
      if (bad.get(row.id) === 'badUscc') {
        if (!/校验位/.test(usccProblem(row.uscc) ?? '')) fail(row, `planted bad USCC ${row.uscc} passes`);
      } else if (row.uscc) {
        if (usccProblem(row.uscc)) fail(row, `USCC ${row.uscc}: ${usccProblem(row.uscc)}`);
        if (row.uscc.slice(2, 8) !== row.regionCode) fail(row, `USCC ${row.uscc} not of region ${row.regionCode}`);
        usccChecked++;
      } else if (bad.get(row.id) !== 'missingUscc') fail(row, 'USCC missing but not planted');
      if (row.personId !== undefined) {
        if (bad.get(row.id) === 'badPersonId') {
          if (!/校验位/.test(citizenIdProblem(row.personId, today) ?? '')) fail(row, `planted bad ID ${row.personId} passes`);
        } else {
          if (citizenIdProblem(row.personId, today)) fail(row, `ID ${row.personId}: ${citizenIdProblem(row.personId, today)}`);
          const birthYear = Number(row.personId.slice(6, 10));
          if (birthYear < 1965 || birthYear > 2004) fail(row, `born ${birthYear}`);
          idsChecked++;
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(usccChecked).toBeGreaterThan(10000);
    expect(idsChecked).toBeGreaterThan(10000);
  });

  test('employers have distinct USCCs and workers distinct citizen IDs', () => {
    const usccs = new Set(county.of('employer').filter((e) => e.dept === 'market').map((e) => e.uscc));
    expect(usccs.size).toBe(1500);
    const enrolled = county.of('enrollment').filter((e) => e.action === 'ENROLL').map((e) => e.personId);
    expect(new Set(enrolled).size).toBe(enrolled.length);
  });

  test('file headers are exactly the contract’s Chinese headers', async () => {
    const expected: Record<string, string[]> = {
      employer: ['登记编号', '统一社会信用代码', '单位名称', '行政区划代码', '行业代码', '职工人数', '统计日期'],
      enrollment: ['参保流水号', '统一社会信用代码', '单位名称', '行政区划代码', '身份证号', '参保操作(参保/停保)', '生效日期', '接尘岗位(是/否)', '项目编号'],
      accident: ['事故编号', '统一社会信用代码', '单位名称', '行政区划代码', '发生时间', '事故类别', '死亡人数', '重伤人数', '轻伤人数', '直接经济损失(元)', '事故简况', '项目编号'],
      hazard: ['检测编号', '统一社会信用代码', '单位名称', '行政区划代码', '危害因素', '岗位', '检测值', '限值', '单位', '限值类型', '采样日期', '接害人数'],
      disease: ['诊断编号', '统一社会信用代码', '单位名称', '行政区划代码', '身份证号', '职业病类别', '病名', '诊断日期', '接害工龄(年)'],
      injury: ['认定编号', '统一社会信用代码', '单位名称', '行政区划代码', '身份证号', '受伤日期', '认定结论(认定/不予认定)', '受伤时是否参保(是/否)', '认定日期'],
      project: ['项目编号', '统一社会信用代码', '单位名称', '行政区划代码', '项目名称', '开工日期', '合同金额(元)', '参保证明编号'],
      rectification: ['复查编号', '统一社会信用代码', '单位名称', '行政区划代码', '建议书编号', '复查结果(合格/不合格)', '复查日期', '说明'],
      contribution: ['缴费记录号', '统一社会信用代码', '单位名称', '行政区划代码', '所属期', '缴费工资总额(元)', '实缴工伤保险费(元)', '行业风险类别', '执行费率'],
      benefit: ['支付流水号', '统一社会信用代码', '单位名称', '行政区划代码', '身份证号', '支付日期', '支付金额(元)', '待遇类别'],
      training: ['培训编号', '统一社会信用代码', '单位名称', '行政区划代码', '培训名称', '培训日期', '参训人数', '重点岗位参训人数', '重点岗位总人数'],
      inspection: ['检查编号', '统一社会信用代码', '单位名称', '行政区划代码', '检查日期', '检查来源', '检查结论', '说明'],
    };
    for (const [type, headers] of Object.entries(expected)) expect(headersOf(type as keyof RowOf)).toEqual(headers);
    const dir = path.join(tmp, 'headers');
    await writeCity({ seed: 3, employers: 60, asOf: AS_OF, out: dir, formats: ['csv'] });
    const csv = fs.readFileSync(path.join(dir, 'hrss', 'enrollment.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1).split('\r\n')[0]).toBe(expected.enrollment.join(','));
  });

  test('a bigger city has proportionally more rows', () => {
    const count = (n: number): Record<string, number> => {
      const c: Record<string, number> = {};
      for (const r of new City({ seed: 5, employers: n, asOf: AS_OF }).records()) c[r.type] = (c[r.type] ?? 0) + 1;
      return c;
    };
    const small = count(1000);
    const big = count(3000);
    for (const type of ['employer', 'enrollment', 'hazard', 'injury', 'project', 'contribution', 'benefit', 'training', 'inspection']) {
      const ratio = big[type] / small[type];
      expect(ratio).toBeGreaterThan(2.2);
      expect(ratio).toBeLessThan(3.8);
    }
  });

  test('a dusty-and-uninsured employer has an exceeding measurement and no enrollment at all', () => {
    const planted = county.city.planted.dustyUninsured;
    expect(planted.length).toBeGreaterThanOrEqual(3);
    for (const p of planted) {
      const hazards = county.of('hazard').filter((h) => h.uscc === p.uscc);
      expect(hazards.some((h) => h.measured > h.limit && /尘/.test(h.factor))).toBe(true);
      expect(county.of('enrollment').filter((e) => e.uscc === p.uscc)).toHaveLength(0);
      expect(county.of('employer').some((e) => e.uscc === p.uscc && e.dept === 'market' && e.headcount >= 8)).toBe(true);
      expect(p.expect).toEqual(expect.arrayContaining(['HAZARD_EXCEEDED', 'UNDER_INSURED', 'PRIORITY']));
    }
  });

  test('dust measurements at dust-industry employers name the workers exposed at the post (接害人数), others leave it empty', () => {
    const industryOfUscc = new Map(county.of('employer').map((e) => [e.uscc, industryOf(e.industryCode)]));
    const dustFactor = new Set<string>(Object.values(FACTORS).filter((f) => (f as HazardFactor).dust).map((f) => f.factor));
    const byEmployer = new Map<string, typeof hazards>();
    const hazards = county.of('hazard');
    let filled = 0;
    for (const h of hazards) {
      const ind = industryOfUscc.get(h.uscc);
      if (!ind) continue; // a planted bad or missing USCC
      if (isDustIndustry(ind) && dustFactor.has(h.factor)) {
        expect(h.exposedWorkers).toBeGreaterThanOrEqual(0);
        filled++;
        byEmployer.set(h.uscc, [...(byEmployer.get(h.uscc) ?? []), h]);
      } else expect(h.exposedWorkers ?? '').toBe('');
    }
    expect(filled).toBeGreaterThan(20);
    // One post, one number, whatever the dust measured there; an employer covering 90% of its
    // headcount covers 90% of its dust-exposed workers too (no dust under-insurance invented).
    for (const [uscc, rows] of byEmployer) {
      const perPost = new Map<string, Set<number>>();
      for (const h of rows) perPost.set(h.post, new Set([...(perPost.get(h.post) ?? []), h.exposedWorkers!]));
      for (const n of perPost.values()) expect(n.size).toBe(1);
      const exposed = [...perPost.values()].reduce((sum, n) => sum + [...n][0], 0);
      const enrollment = county.of('enrollment').filter((e) => e.uscc === uscc);
      const left = new Set(enrollment.filter((e) => e.action === 'TERMINATE').map((e) => e.personId));
      const enrolled = enrollment.filter((e) => e.action === 'ENROLL' && !left.has(e.personId));
      const headcount = county.of('employer').find((e) => e.uscc === uscc)!.headcount;
      const dustEnrolled = enrolled.filter((e) => e.dustExposed).length;
      if (enrolled.length >= 0.9 * headcount) expect(dustEnrolled).toBeGreaterThanOrEqual(0.9 * exposed - 1e-9);
    }
    for (const p of county.city.planted.dustyUninsured) {
      const exposed = hazards.filter((h) => h.uscc === p.uscc && dustFactor.has(h.factor)).reduce((n, h) => n + (h.exposedWorkers ?? 0), 0);
      expect(exposed).toBeGreaterThan(0); // and none of them enrolled: the dust clause of UNDER_INSURED holds
    }
  });

  test('an under-insured employer has fewer than 90% of its workers enrolled', () => {
    for (const p of county.city.planted.underInsured) {
      const rows = county.of('enrollment').filter((e) => e.uscc === p.uscc);
      const left = new Set(rows.filter((t) => t.action === 'TERMINATE').map((t) => t.personId));
      const enrolled = rows.filter((e) => e.action === 'ENROLL' && !left.has(e.personId));
      expect(enrolled.length / p.headcount).toBeLessThan(0.9);
      expect(enrolled.length).toBeGreaterThan(0);
    }
  });

  test('accident-prone employers have three or more accidents in the trailing year', () => {
    const since = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - 365 * DAY).toISOString();
    for (const p of county.city.planted.accidentProne) {
      const recent = county.of('accident').filter((a) => a.uscc === p.uscc && new Date(a.occurredAt).toISOString() >= since);
      expect(recent.length).toBeGreaterThanOrEqual(3);
    }
    for (const p of county.city.planted.fatalAccident) {
      expect(county.of('accident').some((a) => a.uscc === p.uscc && a.deaths > 0)).toBe(true);
    }
  });

  test('early pneumoconiosis is planted and is the only pneumoconiosis with under 5 years of exposure', () => {
    const early = county.of('disease').filter((d) => d.category === 1 && d.exposureYears < 5);
    const planted = county.city.planted.earlyPneumoconiosis;
    expect(planted.length).toBeGreaterThanOrEqual(2);
    expect(early.map((d) => d.id).sort()).toEqual(planted.flatMap((p) => p.evidence).sort());
    for (const d of early) expect(d.diseaseName).toMatch(/(矽肺|尘肺)壹期$/);
  });

  test('projects without an insurance certificate are planted, some with an accident on them', () => {
    const planted = county.city.planted.projectWithoutCertificate;
    expect(planted.length).toBeGreaterThanOrEqual(3);
    for (const p of planted) {
      const projectId = p.evidence.find((id) => /^(XM|GL)/.test(id))!;
      const project = county.of('project').find((x) => x.id === projectId)!;
      expect(project.insuranceCertificate).toBe('');
      expect(county.of('enrollment').some((e) => e.projectId === projectId)).toBe(false);
    }
    expect(county.of('accident').some((a) => planted.some((p) => p.evidence.includes(a.projectId)))).toBe(true);
  });

  test('typical-accident clusters: three or more of one category in one section within 30 days', () => {
    const clusters = county.city.planted.typicalAccidentClusters;
    expect(clusters.length).toBe(2);
    for (const c of clusters) {
      expect(c.accidents.length).toBeGreaterThanOrEqual(3);
      const rows = c.accidents.map((a) => county.of('accident').find((x) => x.id === a.id)!);
      const times = rows.map((r) => Date.parse(r.occurredAt));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(30 * DAY);
      for (const r of rows) {
        expect(r.category).toBe(c.category);
        const employer = county.of('employer').find((e) => e.uscc === r.uscc)!;
        expect(employer.industryCode[0]).toBe(c.section);
      }
    }
  });

  test('accidents use GB 6441-1986 categories and lie in the 15 months before the as-of date', () => {
    const asOf = Date.parse(`${AS_OF}T00:00:00Z`);
    const future = new Set(county.city.planted.dirty.listed.filter((d) => d.kind === 'futureDate').map((d) => d.id));
    const accidents = county.of('accident');
    expect(accidents.length).toBeGreaterThan(50);
    for (const a of accidents) {
      expect(a.category).toBeGreaterThanOrEqual(1);
      expect(a.category).toBeLessThanOrEqual(20);
      expect(a.summary).not.toMatch(/\{|\}/);
      if (future.has(a.id)) {
        expect(Date.parse(a.occurredAt)).toBeGreaterThan(Date.now());
        continue;
      }
      expect(Date.parse(a.occurredAt)).toBeLessThan(asOf + DAY);
      expect(Date.parse(a.occurredAt)).toBeGreaterThan(asOf - (WINDOW_DAYS + 2) * DAY);
    }
    // Construction accidents come from housing, road transport ones from transport.
    expect(accidents.filter((a) => a.id.startsWith('ZJSG')).length).toBeGreaterThan(0);
    expect(accidents.filter((a) => a.id.startsWith('ZJSG')).every((a) => a.dept === 'housing')).toBe(true);
    expect(accidents.filter((a) => a.id.startsWith('JTSG')).every((a) => a.dept === 'transport')).toBe(true);
    expect(accidents.some((a) => a.deaths > 0)).toBe(true);
  });

  test('a future date is a swapped year, and dirty rows stay around 1–2% of all rows', () => {
    expect(typoYear('2026-03-14')).toBe('2062-03-14');
    expect(typoYear('2031-01-02')).toBe('2041-01-02');
    const total = Object.values(county.city.planted.dirty.counts).reduce((a, b) => a + b, 0);
    const share = total / county.records.length;
    expect(share).toBeGreaterThan(0.003);
    expect(share).toBeLessThan(0.02);
    expect(county.city.planted.dirty.counts.futureDate).toBeGreaterThanOrEqual(1);
  });

  test('enrollment has dust-exposed posts, 停保 rows and project-based enrollment', () => {
    const e = county.of('enrollment');
    expect(e.some((x) => x.dustExposed)).toBe(true);
    expect(e.some((x) => x.action === 'TERMINATE')).toBe(true);
    expect(e.some((x) => x.projectId !== '')).toBe(true);
    expect(county.of('injury').some((i) => !i.insuredAtInjury)).toBe(true);
    expect(county.of('rectification').some((r) => /^WHP-REC-\d{4}-\d{6}$/.test(r.recommendationId))).toBe(true);
  });

  test('a province-size city spreads over the cities of Jiangsu', () => {
    const city = new City({ seed: 42, employers: 1_000_000, asOf: AS_OF });
    const cities = new Set<string>();
    for (const r of city.records()) {
      cities.add(r.row.regionCode.slice(0, 4));
      if (city.employersDone >= 3000) break;
    }
    expect(cities.size).toBeGreaterThanOrEqual(12);
    expect([...cities].every((c) => c.startsWith('32'))).toBe(true);
    expect(city.planted.typicalAccidentClusters.length).toBeLessThanOrEqual(2);
  });

  test('XLSX dates are real Excel date cells, matching the CSV', async () => {
    const dir = path.join(tmp, 'xlsx');
    await writeCity({ seed: 11, employers: 300, asOf: AS_OF, out: dir, formats: ['csv', 'xlsx'] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'health', 'hazard.xlsx'));
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual(headersOf('hazard'));
    const cell = ws.getRow(2).getCell(11);
    expect(cell.type).toBe(ExcelJS.ValueType.Date);
    const csvFirst = fs.readFileSync(path.join(dir, 'health', 'hazard.csv'), 'utf8').split('\r\n')[1].split(',');
    expect((cell.value as Date).toISOString().slice(0, 10)).toBe(csvFirst[10]);

    const acc = new ExcelJS.Workbook();
    await acc.xlsx.readFile(path.join(dir, 'emergency', 'accident.xlsx'));
    const when = acc.worksheets[0].getRow(2).getCell(5);
    expect(when.type).toBe(ExcelJS.ValueType.Date);
    const csvAcc = fs.readFileSync(path.join(dir, 'emergency', 'accident.csv'), 'utf8').split('\r\n')[1].split(',');
    // Excel has no zone: the cell holds the Beijing wall-clock time the CSV states with +08:00.
    expect((when.value as Date).toISOString().slice(0, 16)).toBe(csvAcc[4].slice(0, 16));
  });

  test('a GBK file decodes to the same rows as the UTF-8 one', async () => {
    const u = path.join(tmp, 'utf8');
    const g = path.join(tmp, 'gbk');
    await writeCity({ seed: 9, employers: 150, asOf: AS_OF, out: u, formats: ['csv'] });
    await writeCity({ seed: 9, employers: 150, asOf: AS_OF, out: g, formats: ['csv'], gbk: true });
    const utf8 = fs.readFileSync(path.join(u, 'health', 'hazard.csv'), 'utf8').slice(1);
    const gbkBytes = fs.readFileSync(path.join(g, 'health', 'hazard.csv'));
    expect(gbkBytes[0]).not.toBe(0xef);
    expect(iconv.decode(gbkBytes, 'gbk')).toBe(utf8.replace(/³/g, '3'));
  });

  test('the manifest counts every file’s rows and lists what was planted', async () => {
    const dir = path.join(tmp, 'manifest');
    const { manifest } = await writeCity({ seed: 42, employers: 400, asOf: AS_OF, out: dir, formats: ['csv'] });
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifest)));
    for (const [key, f] of Object.entries(manifest.files)) {
      const lines = fs.readFileSync(path.join(dir, `${key}.csv`), 'utf8').split('\r\n').filter(Boolean);
      expect(lines.length - 1).toBe(f.rows);
    }
    expect(manifest.planted.summary.dustyUninsured).toBe(manifest.planted.dustyUninsured.length);
    expect(manifest.planted.dirty.expectedRejections).toBeDefined();
  });
});
