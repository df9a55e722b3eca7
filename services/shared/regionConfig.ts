import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors';
import { DEPARTMENTS, Department } from './contract';
import { provinceDivisions } from './divisions';

/** Thresholds and lists of one region (a file per region under deploy/regions/). */
export interface RegionConfig {
  regionName: string;
  /** GB/T 2260 code of the province the region lies in (江苏 320000): region codes are checked against its table. */
  provinceCode: string;
  documentPrefix: string;
  districts: Record<string, string>;
  organs: Record<Department, string>;
  keyIndustryPrefixes: string[];
  dustIndustryPrefixes: string[];
  rules: RuleThresholds;
  /** The plan's other instruments: 浮动费率, 双随机 and 回头看 (CONTRACT section 4). */
  instruments: InstrumentConfig;
  /** The five-year plan's targets and the region's 2020 baseline (五年目标); absent: shown without a baseline. */
  planTargets?: PlanTargets;
}

/** 《工伤预防五年行动计划（2021—2025年）》 targets, with the region's own 2020 figure. */
export interface PlanTargets {
  baselineYear: number;
  /** Accidents per 100 insured workers in key industries in the baseline year (the region's statistics). */
  keyIndustryAccidentRateBaseline: number;
  /** Fall of that rate by the end of the plan: 0.2 = 下降 20%. */
  accidentRateReduction: number;
  /** Work-injury insurance coverage of key industries and of dust industries: 0.9 = 90%. */
  coverageTarget: number;
  /** Training coverage of key posts: 1 = 100%. */
  trainingCoverageTarget: number;
}

export interface RateTier {
  /** 支缴率 from which this tier applies (tiers in descending order; the first that applies). */
  fromRatio: number;
  /** Change of the base rate: +0.5 = 上浮 50%, -0.2 = 下浮 20%, 0 = 不变. */
  change: number;
}

export interface InstrumentConfig {
  rateAdjustment: {
    /** 行业风险类别 1–8 → 基准费率 (decimal fraction). */
    baseRates: number[];
    tiers: RateTier[];
    /** Class 1 (the lowest base rate) may only go up. */
    classOneUpOnly: boolean;
    /** Contributions over the cycle below this are a small base: marked, their 支缴率 is noisy. */
    smallContributionYuan: number;
  };
  inspection: {
    /** Share of each stratum (district × industry section) drawn for 双随机 each quarter. */
    sampleRate: number;
    /** 回头看: recommendations rectified between these many months before the quarter starts. */
    followUpMonths: [number, number];
    /** Which department inspects which industries (GB/T 4754 prefixes); others go to `otherDepartment`. */
    departments: Partial<Record<Department, string[]>>;
    otherDepartment: Department;
  };
}

export interface RuleThresholds {
  hazardDeadlineDays: number;
  accidentWindowDays: number;
  accidentCountThreshold: number;
  accidentRateMultiple: number;
  accidentRateMinAccidents: number;
  /** Empirical-Bayes prior strength, in insured workers (see README: accident rates). */
  accidentRatePriorWorkers: number;
  coverageThreshold: number;
  earlyPneumoconiosisYears: number;
  typicalClusterCount: number;
  typicalClusterDays: number;
  recommendationDeadlineDays: number;
  evidenceWindowDays: number;
}

const RULE_KEYS: (keyof RuleThresholds)[] = [
  'hazardDeadlineDays',
  'accidentWindowDays',
  'accidentCountThreshold',
  'accidentRateMultiple',
  'accidentRateMinAccidents',
  'accidentRatePriorWorkers',
  'coverageThreshold',
  'earlyPneumoconiosisYears',
  'typicalClusterCount',
  'typicalClusterDays',
  'recommendationDeadlineDays',
  'evidenceWindowDays',
];

export const REGIONS_DIR = path.resolve(__dirname, '..', '..', 'deploy', 'regions');

/** Validates a parsed region file; `variable` names where it came from in error messages. */
export function parseRegionConfig(raw: unknown, variable = 'WHP_REGION'): RegionConfig {
  const fail = (what: string): never => {
    throw new ConfigError(variable, `地区配置无效: ${what}`);
  };
  if (!raw || typeof raw !== 'object') fail('不是 JSON 对象');
  const r = raw as Record<string, unknown>;
  if (typeof r.regionName !== 'string' || !r.regionName) fail('缺少 regionName');
  if (typeof r.documentPrefix !== 'string') fail('缺少 documentPrefix');
  const province = typeof r.provinceCode === 'string' && /^\d{2}0000$/.test(r.provinceCode) ? provinceDivisions(r.provinceCode) : null;
  if (!province) fail(`provinceCode 应为 GB/T 2260 省级代码（如江苏 320000），实际为 ${JSON.stringify(r.provinceCode)}`);
  const districts = r.districts as Record<string, unknown>;
  if (!districts || typeof districts !== 'object') fail('缺少 districts');
  for (const [code, name] of Object.entries(districts)) {
    if (!/^\d{6}$/.test(code) || typeof name !== 'string') fail(`districts 中 "${code}" 无效`);
    if (!code.startsWith(String(r.provinceCode).slice(0, 2))) fail(`districts 中 ${code} 不属于 provinceCode ${r.provinceCode}`);
  }
  const organs = r.organs as Record<string, unknown>;
  for (const d of Object.keys(DEPARTMENTS)) {
    if (!organs || typeof organs[d] !== 'string') fail(`organs 缺少部门 ${d}`);
  }
  for (const list of ['keyIndustryPrefixes', 'dustIndustryPrefixes'] as const) {
    const v = r[list];
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || !/^[A-T]\d{0,4}$/.test(p))) fail(`${list} 应为 GB/T 4754 代码前缀列表`);
  }
  const rules = r.rules as Record<string, unknown>;
  if (!rules || typeof rules !== 'object') fail('缺少 rules');
  for (const k of RULE_KEYS) {
    const v = rules[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`rules.${k} 应为非负数`);
  }
  if ((rules.coverageThreshold as number) > 1) fail('rules.coverageThreshold 应在 0–1 之间');
  parseInstruments(r.instruments, fail);
  if (r.planTargets !== undefined) parsePlanTargets(r.planTargets, fail);
  return raw as RegionConfig;
}

function parsePlanTargets(raw: unknown, fail: (what: string) => never): void {
  const t = raw as Record<string, unknown>;
  if (!t || typeof t !== 'object') fail('planTargets 应为对象');
  if (!Number.isInteger(t.baselineYear) || (t.baselineYear as number) < 2000) fail('planTargets.baselineYear 应为年份（如 2020）');
  if (typeof t.keyIndustryAccidentRateBaseline !== 'number' || !(t.keyIndustryAccidentRateBaseline > 0)) fail('planTargets.keyIndustryAccidentRateBaseline 应为正数（每百名参保职工事故起数）');
  for (const k of ['accidentRateReduction', 'coverageTarget', 'trainingCoverageTarget']) {
    const v = t[k];
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail(`planTargets.${k} 应在 0–1 之间`);
  }
}

function parseInstruments(raw: unknown, fail: (what: string) => never): void {
  const i = raw as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!i || typeof i !== 'object') fail('缺少 instruments（浮动费率、双随机检查的配置）');
  const r = i.rateAdjustment;
  if (!r || !Array.isArray(r.baseRates) || r.baseRates.length !== 8 || r.baseRates.some((x: unknown) => typeof x !== 'number' || !(x > 0 && x < 0.1))) {
    fail('instruments.rateAdjustment.baseRates 应为 8 个行业风险类别的基准费率（0–10% 之间的小数）');
  }
  if (!Array.isArray(r.tiers) || !r.tiers.length || r.tiers.some((t: RateTier) => typeof t?.fromRatio !== 'number' || t.fromRatio < 0 || typeof t.change !== 'number' || t.change <= -1)) {
    fail('instruments.rateAdjustment.tiers 应为 { fromRatio, change } 的列表（fromRatio ≥ 0，change > -1）');
  }
  for (let k = 1; k < r.tiers.length; k++) if (r.tiers[k].fromRatio >= r.tiers[k - 1].fromRatio) fail('instruments.rateAdjustment.tiers 应按 fromRatio 从高到低排列');
  if (r.tiers[r.tiers.length - 1].fromRatio !== 0) fail('instruments.rateAdjustment.tiers 的最后一档 fromRatio 应为 0（覆盖所有支缴率）');
  if (typeof r.classOneUpOnly !== 'boolean') fail('instruments.rateAdjustment.classOneUpOnly 应为 true 或 false');
  if (typeof r.smallContributionYuan !== 'number' || r.smallContributionYuan < 0) fail('instruments.rateAdjustment.smallContributionYuan 应为非负数');
  const n = i.inspection;
  if (!n || typeof n.sampleRate !== 'number' || !(n.sampleRate > 0 && n.sampleRate <= 1)) fail('instruments.inspection.sampleRate 应在 0–1 之间');
  const m = n.followUpMonths;
  if (!Array.isArray(m) || m.length !== 2 || !(m[0] >= 0 && m[1] > m[0])) fail('instruments.inspection.followUpMonths 应为 [起, 止] 月数，如 [3, 6]');
  const inspecting = ['emergency', 'health', 'housing', 'transport'];
  for (const [d, prefixes] of Object.entries(n.departments ?? {})) {
    if (!inspecting.includes(d)) fail(`instruments.inspection.departments 中 ${d} 不是检查部门（应为 ${inspecting.join('、')}）`);
    if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string' || !/^[A-T]\d{0,4}$/.test(p))) fail(`instruments.inspection.departments.${d} 应为 GB/T 4754 代码前缀列表`);
  }
  if (!inspecting.includes(n.otherDepartment)) fail(`instruments.inspection.otherDepartment 应为 ${inspecting.join('、')} 之一`);
}

/** Loads `deploy/regions/<name>.json` (WHP_REGION, default suqian) or an explicit path. */
export function loadRegionConfig(env: Record<string, string | undefined> = process.env): RegionConfig {
  const name = env.WHP_REGION?.trim() || 'suqian';
  const file = name.endsWith('.json') ? path.resolve(name) : path.join(REGIONS_DIR, `${name}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('WHP_REGION', `找不到地区配置文件 ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('WHP_REGION', `${file} 不是有效的 JSON: ${(e as Error).message}`);
  }
  return parseRegionConfig(parsed);
}

export function matchesPrefix(industryCode: string | null | undefined, prefixes: string[]): boolean {
  return !!industryCode && prefixes.some((p) => industryCode.startsWith(p));
}

/** GB/T 4754 门类 (section letter) of an industry code. */
export function industrySection(industryCode: string | null | undefined): string | null {
  return industryCode && /^[A-T]/.test(industryCode) ? industryCode[0] : null;
}
