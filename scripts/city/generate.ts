import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEPARTMENTS } from '../../services/shared/contract';
import { CITY_SCALE_MAX } from './catalog';
import { City, CityOptions, Planted } from './city';
import { CityWriter, Format, WrittenFile } from './writers';
import { formatTable } from './table';

/**
 * Writes a synthetic city's department feeds: `<out>/<dept>/<type>.csv|.xlsx` and
 * `<out>/manifest.json`. Usage:
 *
 *   npx tsx scripts/city/generate.ts --employers 2000 --seed 42 --as-of 2026-11-20 --out out/city [--format csv|xlsx|both] [--gbk]
 */

export interface WriteCityOptions extends CityOptions {
  out: string;
  formats: Format[];
  gbk?: boolean;
  onProgress?: (employersDone: number) => void;
}

export interface Manifest {
  generator: string;
  seed: number;
  employers: number;
  asOf: string;
  scale: string;
  formats: Format[];
  encoding: 'utf-8 (BOM)' | 'gbk';
  files: Record<string, { rows: number; files: string[] }>;
  planted: { summary: Record<string, number> } & Planted;
}

export function plantedSummary(p: Planted): Record<string, number> {
  return {
    dustyUninsured: p.dustyUninsured.length,
    underInsured: p.underInsured.length,
    accidentProne: p.accidentProne.length,
    fatalAccident: p.fatalAccident.length,
    earlyPneumoconiosis: p.earlyPneumoconiosis.length,
    projectWithoutCertificate: p.projectWithoutCertificate.length,
    typicalAccidentClusters: p.typicalAccidentClusters.length,
    rateAdjustmentUp: p.rateAdjustment.up.length,
    rateAdjustmentDown: p.rateAdjustment.down.length,
    priorityWithoutTraining: p.trainingGaps.priorityWithoutTraining.length,
    listedEmployers: p.inspections.listedEmployers,
    dirtyRows: Object.values(p.dirty.counts).reduce((a, b) => a + b, 0),
    dirtyRowsToReject: Object.values(p.dirty.expectedRejections).reduce((a, b) => a + b, 0),
  };
}

/** Generates and writes the city, streaming: rows go to open files as each employer is made. */
export async function writeCity(o: WriteCityOptions): Promise<{ manifest: Manifest; files: WrittenFile[] }> {
  const city = new City(o);
  const writer = new CityWriter(o.out, o.formats, { gbk: o.gbk, fixedDate: new Date(`${o.asOf}T00:00:00Z`) });
  let lastReported = 0;
  for (const rec of city.records()) {
    const wait = writer.write(rec);
    if (wait) await wait;
    if (o.onProgress && city.employersDone - lastReported >= 500) {
      lastReported = city.employersDone;
      o.onProgress(lastReported);
    }
  }
  o.onProgress?.(o.employers);
  const files = await writer.close();
  const manifest: Manifest = {
    generator: 'scripts/city/generate.ts',
    seed: o.seed,
    employers: o.employers,
    asOf: o.asOf,
    scale: o.employers <= CITY_SCALE_MAX ? '宿迁市 (5 县区)' : '江苏省 (13 市)',
    formats: o.formats,
    encoding: o.gbk ? 'gbk' : 'utf-8 (BOM)',
    files: Object.fromEntries(files.map((f) => [`${f.dept}/${f.type}`, { rows: f.rows, files: f.files }])),
    planted: { summary: plantedSummary(city.planted), ...city.planted },
  };
  fs.writeFileSync(path.join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, files };
}

function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

function fileSize(out: string, rel: string): number {
  try {
    return fs.statSync(path.join(out, rel)).size;
  } catch {
    return 0;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      employers: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '42' },
      'as-of': { type: 'string' },
      out: { type: 'string', default: 'out/city' },
      format: { type: 'string' },
      gbk: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('npx tsx scripts/city/generate.ts --employers 2000 --seed 42 --as-of 2026-11-20 --out out/city [--format csv|xlsx|both] [--gbk]');
    return;
  }
  const employers = Number(values.employers);
  const seed = Number(values.seed);
  if (!Number.isInteger(employers) || employers < 1) throw new Error(`--employers 应为正整数，实际为 ${values.employers}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed 应为整数，实际为 ${values.seed}`);
  const asOf = values['as-of'] ?? todayInChina();
  const format = values.format ?? (employers <= CITY_SCALE_MAX ? 'both' : 'csv');
  if (!['csv', 'xlsx', 'both'].includes(format)) throw new Error(`--format 应为 csv、xlsx 或 both，实际为 ${format}`);
  const formats: Format[] = format === 'both' ? ['csv', 'xlsx'] : [format as Format];
  const out = path.resolve(values.out!);

  console.log(`合成城市：${employers} 家用人单位，种子 ${seed}，统计日 ${asOf}，输出 ${out}（${formats.join(' + ')}${values.gbk ? '，GBK' : ''}）`);
  const started = Date.now();
  const bar = employers >= 20000 ? new cliProgress.SingleBar({ format: '生成 [{bar}] {percentage}% | {value}/{total} 家 | {eta_formatted}' }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(employers, 0);
  const { manifest, files } = await writeCity({ seed, employers, asOf, out, formats, gbk: values.gbk, onProgress: (n) => bar?.update(n) });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;

  console.log('\n' + formatTable(
    ['部门', '', '类型', '行数', '文件', '大小'],
    files.map((f) => [f.dept, DEPARTMENTS[f.dept], f.type, f.rows, f.files.join(' '), mb(f.files.reduce((s, x) => s + fileSize(out, x), 0))]),
  ));
  const s = manifest.planted.summary;
  const d = manifest.planted.dirty.counts;
  const { rateAdjustment: r, trainingGaps: t, inspections: i } = manifest.planted;
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  console.log('\n' + formatTable(['预置模式 (planted)', '数量', '应触发'], [
    ['既有粉尘超标又未参保 dustyUninsured', s.dustyUninsured, 'HAZARD_EXCEEDED + UNDER_INSURED → PRIORITY'],
    ['参保不足 underInsured', s.underInsured, 'UNDER_INSURED'],
    ['事故多发 accidentProne', s.accidentProne, 'ACCIDENT_PRONE'],
    ['死亡事故 fatalAccident', s.fatalAccident, 'ACCIDENT_PRONE + TYPICAL_ACCIDENT'],
    ['早发尘肺病 earlyPneumoconiosis', s.earlyPneumoconiosis, 'EARLY_PNEUMOCONIOSIS'],
    ['项目未提交参保证明 projectWithoutCertificate', s.projectWithoutCertificate, 'PROJECT_UNINSURED'],
    ['同类事故聚集 typicalAccidentClusters', s.typicalAccidentClusters, 'TYPICAL_ACCIDENT'],
    [`浮动费率应上浮 rateAdjustment.up（${r.cycle}）`, s.rateAdjustmentUp, `支缴率 ≥ 2.5（全市 ${pct(r.cityRatio)}）`],
    [`浮动费率应下浮 rateAdjustment.down（${r.cycle}）`, s.rateAdjustmentDown, '支缴率 0，无事故'],
    ['PRIORITY 且一年内未培训 trainingGaps', s.priorityWithoutTraining, `联合建议书含培训事项（重点岗位培训覆盖率 ${pct(t.coverage)}）`],
    ['风险清单单位 inspections.listedEmployers', s.listedEmployers, `发现隐患：清单检查 ${pct(i.total.LISTED.hitRate)}，双随机 ${pct(i.total.RANDOM.hitRate)}（lift ${i.lift}）`],
    ['脏数据：缺统一社会信用代码', d.missingUscc, '接受（按名称 + 区划识别）'],
    ['脏数据：单位名称变体', d.nameVariant, '接受（规范化后同一单位）'],
    ['脏数据：信用代码校验位错误', d.badUscc, '拒收'],
    ['脏数据：身份证号校验位错误', d.badPersonId, '拒收'],
    ['脏数据：未来日期', d.futureDate, '拒收'],
  ]));
  const rss = process.resourceUsage().maxRSS * 1024;
  const total = files.reduce((a, f) => a + f.files.reduce((b, x) => b + fileSize(out, x), 0), 0);
  console.log(`\n用时 ${seconds.toFixed(1)} s，峰值内存 (RSS) ${mb(rss)}，输出 ${mb(total)}，清单 ${path.join(out, 'manifest.json')}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
