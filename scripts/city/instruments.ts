import { Department, EventType } from '../../services/shared/contract';
import { BASE_RATES, INSPECTION_HAZARDS, Industry, TRAINING_COURSES, YEARLY_WAGE, rateClassOf } from './catalog';
import type { PlantKind } from './city';
import { AccidentRow, BenefitRow, DiseaseRow, InjuryRow, InspectionRow, RectificationRow, RowOf } from './columns';
import { Rng } from './prng';

/**
 * The plan's other instruments in the synthetic city (CONTRACT section 4): 工伤保险缴费 for the
 * last three full years (the 浮动费率 cycle), 待遇支付 following the city's injuries, diseases and
 * deaths, 培训 of key-post staff at part of the key-industry employers, and each quarter's
 * inspections (双随机, 清单, 回头看). Generated employer by employer from the employer's own
 * records, with a random stream of their own so that the rest of the city stays as it was; what
 * the hub should find in them is tallied in `planted`.
 */

/** What the city knows of one employer once its other records are made. */
export interface EmployerSoFar {
  uscc: string;
  employerName: string;
  regionCode: string;
  industry: Industry;
  headcount: number;
  coverage: number;
  kind?: PlantKind;
  /** Citizen IDs of the workers enrolled now. */
  enrolled: string[];
  /** As determined and diagnosed (true identities, whatever a dirty row says). */
  injuries: InjuryRow[];
  diseases: DiseaseRow[];
  accidents: AccidentRow[];
  rectifications: RectificationRow[];
  exceedingMeasurements: number;
}

export interface Sink {
  /** Emits a record; false when it carries a planted error the gateway will reject. */
  emit<T extends EventType>(dept: Department, type: T, row: RowOf[T]): boolean;
  ref(): { uscc: string; employerName: string; regionCode: string };
}

export interface Clock {
  /** The city's today, days since 1970-01-01. */
  asOf: number;
  day(d: number): string;
  nextId(prefix: string, width: number): string;
  /** The first day of the city's accident and determination window. */
  windowStart: number;
}

export interface PlantedRate {
  uscc: string;
  employerName: string;
  industryCode: string;
  headcount: number;
  rateClass: number;
  baseRate: number;
  /** The rate the employer paid through the cycle. */
  rate: number;
  contributionsYuan: number;
  benefitsYuan: number;
  /** 支缴率: benefits paid ÷ contributions paid over the cycle. */
  ratio: number;
  expect: '上浮' | '下浮';
  note: string;
}

export interface PlantedRateAdjustment {
  /** The three full years before the as-of date, e.g. 2023-2025. */
  cycle: string;
  baseRates: Record<number, number>;
  /** The whole city's 支缴率 over the cycle (accepted rows only). */
  cityRatio: number;
  contributionsYuan: number;
  benefitsYuan: number;
  up: PlantedRate[];
  down: PlantedRate[];
}

export interface TrainingCoverage {
  uscc: string;
  employerName: string;
  industryCode: string;
  keyPostTotal: number;
  keyPostTrained: number;
  coverage: number;
}

export interface PlantedTrainingGaps {
  /** The 365 days counted (as-of excluded). */
  from: string;
  to: string;
  /** Key-industry employers by their key-post coverage in those days. */
  counts: { full: number; partial: number; none: number };
  /** Key-post staff of all key-industry employers, and of them trained (capped per employer at its staff). */
  keyPostStaff: number;
  keyPostTrained: number;
  coverage: number;
  /** PRIORITY employers (the dusty-and-uninsured ones) with no training at all: their joint letter should carry a training item. */
  priorityWithoutTraining: TrainingCoverage[];
  /** Key-industry employers short of 100%, listed up to `listCap`. */
  short: TrainingCoverage[];
  listCap: number;
}

type Origin = InspectionRow['origin'];
type Tally = { inspections: number; hazardFound: number };

export interface PlantedInspections {
  quarters: string[];
  /** The chances the city draws with (an employer's hazard chance depends on the employer, not on why it was inspected). */
  model: typeof INSPECTION_MODEL;
  /** Employers carrying planted risk patterns: the list LISTED inspections come from. */
  listedEmployers: number;
  byQuarter: { quarter: string; counts: Record<Origin, Tally> }[];
  total: Record<Origin, Tally & { hitRate: number }>;
  /** HAZARD_FOUND share of LISTED inspections ÷ that of RANDOM ones. */
  lift: number;
}

export const INSPECTION_MODEL = {
  /** Share of employers the 双随机 draw picks each quarter. */
  randomShare: 0.03,
  /** Chance a listed employer is inspected in a quarter. */
  listedChance: 0.5,
  /** Chance an employer rectified (PASSED) is visited again 3–6 months later (回头看). */
  followUpChance: 0.5,
  /** Chance per quarter of an inspection for other reasons (投诉举报…). */
  otherChance: 0.003,
  hazard: { plantedRisk: 0.65, naturalRisk: 0.35, ordinary: 0.08, followUp: 0.2 },
};

/** The patterns that put an employer on the list LISTED inspections come from. */
const LISTED_KINDS: ReadonlySet<PlantKind> = new Set<PlantKind>([
  'dustyUninsured', 'underInsured', 'accidentProne', 'fatalAccident', 'earlyPneumoconiosis', 'projectWithoutCertificate',
]);

const ORIGINS: Origin[] = ['RANDOM', 'LISTED', 'FOLLOW_UP', 'OTHER'];
const DAY = 86400000;
/** 一次性工亡补助金: 20 × the previous year's national urban per-capita disposable income (2024: 54,188 元). */
const DEATH_GRANT = 20 * 54188;

const round2 = (x: number): number => Math.round(x * 100) / 100;
const dayOfIso = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
const yearStart = (y: number): number => Date.UTC(y, 0, 1) / DAY;

export class Instruments {
  readonly rateAdjustment: PlantedRateAdjustment;
  readonly trainingGaps: PlantedTrainingGaps;
  readonly inspections: PlantedInspections;
  private readonly year: number;
  private readonly cycleFrom: number;
  private readonly cycleTo: number;
  private readonly quarters: { label: string; from: number; to: number }[];

  constructor(private readonly clock: Clock, listCap: number) {
    this.year = Number(clock.day(clock.asOf).slice(0, 4));
    this.cycleFrom = yearStart(this.year - 3);
    this.cycleTo = yearStart(this.year) - 1;
    this.quarters = lastQuarters(clock, 5);
    this.rateAdjustment = {
      cycle: `${this.year - 3}-${this.year - 1}`, baseRates: BASE_RATES, cityRatio: 0, contributionsYuan: 0, benefitsYuan: 0, up: [], down: [],
    };
    this.trainingGaps = {
      from: clock.day(clock.asOf - 365), to: clock.day(clock.asOf - 1), counts: { full: 0, partial: 0, none: 0 },
      keyPostStaff: 0, keyPostTrained: 0, coverage: 0, priorityWithoutTraining: [], short: [], listCap,
    };
    const zero = (): Record<Origin, Tally> => Object.fromEntries(ORIGINS.map((o) => [o, { inspections: 0, hazardFound: 0 }])) as Record<Origin, Tally>;
    this.inspections = {
      quarters: this.quarters.map((q) => q.label), model: INSPECTION_MODEL, listedEmployers: 0,
      byQuarter: this.quarters.map((q) => ({ quarter: q.label, counts: zero() })),
      total: Object.fromEntries(ORIGINS.map((o) => [o, { inspections: 0, hazardFound: 0, hitRate: 0 }])) as PlantedInspections['total'],
      lift: 0,
    };
  }

  /** One employer's contributions, benefits, training and inspections. */
  employer(e: EmployerSoFar, out: Sink, rng: Rng): void {
    const contributions = this.contributions(e, out, rng);
    const benefits = this.benefits(e, out, rng, contributions);
    if (e.kind === 'rateUp' || e.kind === 'rateDown') this.plantRate(e, contributions, benefits);
    this.training(e, out, rng);
    this.inspect(e, out, rng);
  }

  // ---------------------------------------------------------------- 缴费

  /** Yearly (or, for a quarter of the employers, quarterly) contributions of the cycle's years; returns the cycle's total paid. */
  private contributions(e: EmployerSoFar, out: Sink, rng: Rng): number {
    if (e.enrolled.length === 0) return 0; // not insured: nothing paid
    const rateClass = rateClassOf(e.industry);
    const float = e.kind ? 1 : rng.weighted([1, 1.2, 0.8, 1.5, 0.5], [70, 10, rateClass > 1 ? 12 : 0, 4, rateClass > 1 ? 4 : 0]);
    const rate = Number((BASE_RATES[rateClass] * float).toFixed(5));
    const wage = YEARLY_WAGE[e.industry.code[0]];
    const growth = -0.05 + rng.next() * 0.17;
    const quarterly = rng.chance(0.25);
    const arrearsYear = !e.kind && rng.chance(0.04) ? this.year - rng.int(1, 3) : 0;
    let total = 0;
    for (let y = this.year - 3; y < this.year; y++) {
      const insured = Math.max(1, Math.round(e.enrolled.length * Math.pow(1 + growth, y - this.year)));
      const payroll = insured * wage * rng.lognormal(1, 0.12);
      const parts = quarterly ? [1, 2, 3, 4].map((q) => ({ period: `${y}-Q${q}`, payroll: Math.round((payroll / 4) * (0.92 + rng.next() * 0.16)) })) : [{ period: String(y), payroll: Math.round(payroll) }];
      for (const p of parts) {
        const due = p.payroll * rate;
        const paidYuan = round2(y === arrearsYear ? due * (0.6 + rng.next() * 0.3) : due); // 欠缴: part of a year unpaid
        const taken = out.emit('hrss', 'contribution', {
          id: this.clock.nextId('JF', 10), ...out.ref(), period: p.period, payrollYuan: p.payroll, paidYuan, rateClass, rate,
        });
        if (taken) total += paidYuan;
      }
    }
    this.rateAdjustment.contributionsYuan = round2(this.rateAdjustment.contributionsYuan + total);
    return total;
  }

  // ---------------------------------------------------------------- 待遇支付

  /** Benefits the fund paid for the employer's insured workers; returns the cycle's total. */
  private benefits(e: EmployerSoFar, out: Sink, rng: Rng, contributions: number): number {
    if (e.enrolled.length === 0 || e.kind === 'rateDown') return 0;
    const payments: Omit<BenefitRow, 'id' | 'uscc' | 'employerName' | 'regionCode'>[] = [];
    const pay = (personId: string, day: number, amountYuan: number, kind: BenefitRow['kind']) => {
      if (day < this.clock.asOf) payments.push({ personId, paidAt: this.clock.day(day), amountYuan: round2(amountYuan), kind });
    };
    const treated = (personId: string, from: number, disability: number) => {
      for (let m = 0, k = rng.int(1, 3); m < k; m++) pay(personId, from + rng.int(10, 150), Math.max(200, rng.lognormal(5000, 0.9)), 'MEDICAL');
      if (rng.chance(disability)) pay(personId, from + rng.int(60, 300), rng.lognormal(70000, 0.6), 'DISABILITY');
      if (rng.chance(0.05)) pay(personId, from + rng.int(30, 200), rng.lognormal(3000, 0.5), 'OTHER');
    };
    if (e.kind === 'rateUp') {
      // A cycle of heavy claims: several times what the employer paid in, before the city's window.
      const target = contributions * (2.5 + rng.next() * 1.5);
      const last = Math.min(this.cycleTo, this.clock.windowStart - 1);
      const k = rng.int(2, 4);
      const weights = Array.from({ length: k }, () => 0.5 + rng.next());
      const sum = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, i) => pay(rng.pick(e.enrolled), rng.int(this.cycleFrom, last), (target * w) / sum, i === 0 ? 'DISABILITY' : 'MEDICAL'));
    } else {
      const enrolled = new Set(e.enrolled);
      // 工伤认定 of the city's window, insured at the time: medical treatment, some disability.
      for (const i of e.injuries) if (i.decision === 'RECOGNIZED' && i.insuredAtInjury) treated(i.personId, dayOfIso(i.decidedAt), 0.2);
      // Occupational diseases of insured workers: pneumoconiosis is assessed for disability.
      for (const d of e.diseases) if (enrolled.has(d.personId)) treated(d.personId, dayOfIso(d.diagnosedAt), d.category === 1 ? 0.7 : 0.2);
      // Deaths at work: 一次性工亡补助金 and 丧葬补助金, when the dead worker was insured (always at a planted fatal accident).
      for (const a of e.accidents) {
        for (let d = 0; d < a.deaths; d++) if (e.kind === 'fatalAccident' || rng.chance(e.coverage)) pay(rng.pick(e.enrolled), dayOfIso(a.occurredAt) + rng.int(30, 90), DEATH_GRANT + YEARLY_WAGE[e.industry.code[0]] / 2, 'DEATH');
      }
      // Injuries of the cycle's years before the window (their determinations are not in the city's files).
      const before = this.clock.windowStart - this.cycleFrom;
      const n = rng.poisson((e.industry.injuryRate / 100) * e.enrolled.length * (before / 365));
      for (let j = 0; j < n; j++) treated(rng.pick(e.enrolled), this.cycleFrom + rng.int(0, before - 1), 0.2);
    }
    let inCycle = 0;
    payments.sort((a, b) => (a.paidAt < b.paidAt ? -1 : a.paidAt > b.paidAt ? 1 : 0));
    for (const p of payments) {
      const taken = out.emit('hrss', 'benefit', { id: this.clock.nextId('ZF', 10), ...out.ref(), ...p });
      const day = dayOfIso(p.paidAt);
      if (taken && day >= this.cycleFrom && day <= this.cycleTo) inCycle += p.amountYuan;
    }
    this.rateAdjustment.benefitsYuan = round2(this.rateAdjustment.benefitsYuan + inCycle);
    const r = this.rateAdjustment;
    r.cityRatio = r.contributionsYuan > 0 ? Math.round((r.benefitsYuan / r.contributionsYuan) * 10000) / 10000 : 0;
    return inCycle;
  }

  private plantRate(e: EmployerSoFar, contributionsYuan: number, benefitsYuan: number): void {
    const rateClass = rateClassOf(e.industry);
    const up = e.kind === 'rateUp';
    this.rateAdjustment[up ? 'up' : 'down'].push({
      uscc: e.uscc, employerName: e.employerName, industryCode: e.industry.code, headcount: e.headcount, rateClass,
      baseRate: BASE_RATES[rateClass], rate: BASE_RATES[rateClass], contributionsYuan: round2(contributionsYuan), benefitsYuan: round2(benefitsYuan),
      ratio: contributionsYuan > 0 ? Math.round((benefitsYuan / contributionsYuan) * 10000) / 10000 : 0,
      expect: up ? '上浮' : '下浮',
      note: up ? '周期内工伤待遇支出为缴费的数倍' : '周期内无工伤待遇支出，按时足额缴费，无事故多发或 PRIORITY 预警',
    });
  }

  // ---------------------------------------------------------------- 培训

  /**
   * Key-industry employers: about a third train all their key-post staff within the year, a third
   * part of them, a third none (some of those trained longer ago). The dusty-and-uninsured ones
   * (PRIORITY) never trained. A few other employers hold general sessions.
   */
  private training(e: EmployerSoFar, out: Sink, rng: Rng): void {
    const key = e.industry.group !== null;
    const keyTotal = key ? Math.max(1, Math.round(e.headcount * (0.15 + 0.25 * rng.next()))) : 0;
    const x = rng.next();
    let category: 'full' | 'partial' | 'none' | 'general' | 'nothing';
    if (!key) category = x < 0.1 ? 'general' : 'nothing';
    else if (e.kind === 'dustyUninsured') category = 'none';
    else category = x < 0.35 ? 'full' : x < 0.65 && keyTotal >= 2 ? 'partial' : 'none';
    const within = () => this.clock.asOf - rng.int(1, 364);
    let trained = 0; // as the hub will see it: sessions of the year that it takes
    let sessions = 0;
    const session = (day: number, keyPostTrainees: number) => {
      const dept = rng.weighted(['hrss', 'emergency', 'union'] as const, [4, 4, 2]);
      const taken = out.emit(dept, 'training', {
        id: this.clock.nextId(dept === 'hrss' ? 'RSPX' : dept === 'emergency' ? 'AJPX' : 'GHPX', 8), ...out.ref(),
        courseName: rng.pick(TRAINING_COURSES[dept]), heldAt: this.clock.day(day),
        trainees: keyPostTrainees + rng.int(0, Math.round(e.headcount * 0.3)), keyPostTrainees,
        // 总工会 does not always know the key-post headcount; the first session of an employer says it.
        keyPostTotal: key && (sessions++ === 0 || !(dept === 'union' && rng.chance(0.5))) ? keyTotal : undefined,
      });
      if (taken && this.clock.asOf - day <= 365) trained += keyPostTrainees;
    };
    if (category === 'full' || category === 'partial') {
      const target = category === 'full' ? keyTotal : rng.int(1, keyTotal - 1);
      const k = rng.int(1, Math.min(3, target));
      let left = target;
      for (let s = 0; s < k; s++) {
        const part = s === k - 1 ? left : rng.int(1, left - (k - 1 - s));
        session(within(), part);
        left -= part;
      }
    } else if (category === 'none' && e.kind !== 'dustyUninsured' && rng.chance(0.4)) {
      session(this.clock.asOf - rng.int(380, 700), rng.int(1, keyTotal)); // trained, but longer than a year ago
    } else if (category === 'general') {
      session(within(), 0);
    }
    if (!key) return;
    const g = this.trainingGaps;
    const cat = trained >= keyTotal ? 'full' : trained > 0 ? 'partial' : 'none';
    g.counts[cat]++;
    g.keyPostStaff += keyTotal;
    g.keyPostTrained += trained;
    g.coverage = Math.round((g.keyPostTrained / g.keyPostStaff) * 10000) / 10000;
    const entry: TrainingCoverage = {
      uscc: e.uscc, employerName: e.employerName, industryCode: e.industry.code, keyPostTotal: keyTotal, keyPostTrained: trained,
      coverage: Math.round((trained / keyTotal) * 10000) / 10000,
    };
    if (e.kind === 'dustyUninsured') g.priorityWithoutTraining.push(entry);
    else if (cat !== 'full' && g.short.length < g.listCap) g.short.push(entry);
  }

  // ---------------------------------------------------------------- 检查

  private inspect(e: EmployerSoFar, out: Sink, rng: Rng): void {
    const listed = e.kind !== undefined && LISTED_KINDS.has(e.kind);
    if (listed) this.inspections.listedEmployers++;
    const naturalRisk = e.exceedingMeasurements > 0 || e.accidents.length >= 2 || e.accidents.some((a) => a.deaths > 0);
    const h = INSPECTION_MODEL.hazard;
    const pHazard = listed ? h.plantedRisk : naturalRisk ? h.naturalRisk : h.ordinary;
    const visits: { day: number; origin: Origin; p: number }[] = [];
    for (const q of this.quarters) {
      const day = () => rng.int(q.from, q.to);
      if (rng.chance(INSPECTION_MODEL.randomShare)) visits.push({ day: day(), origin: 'RANDOM', p: pHazard });
      if (listed && rng.chance(INSPECTION_MODEL.listedChance)) visits.push({ day: day(), origin: 'LISTED', p: pHazard });
      if (!listed && rng.chance(INSPECTION_MODEL.otherChance)) visits.push({ day: day(), origin: 'OTHER', p: pHazard });
    }
    // 回头看: employers rectified (复查合格) 3–6 months ago.
    for (const r of e.rectifications) {
      const day = dayOfIso(r.verifiedAt) + rng.int(90, 180);
      if (r.result === 'PASSED' && day < this.clock.asOf && day >= this.quarters[0].from && rng.chance(INSPECTION_MODEL.followUpChance)) {
        visits.push({ day, origin: 'FOLLOW_UP', p: h.followUp });
      }
    }
    visits.sort((a, b) => a.day - b.day);
    for (const v of visits) {
      const dept = inspectingDepartment(e.industry, rng);
      const found = rng.chance(v.p);
      const taken = out.emit(dept, 'inspection', {
        id: this.clock.nextId(`${INSPECTION_PREFIX[dept]}JC`, 8), ...out.ref(), inspectedAt: this.clock.day(v.day), origin: v.origin,
        finding: found ? 'HAZARD_FOUND' : 'COMPLIANT', note: found ? rng.pick(INSPECTION_HAZARDS[dept]) : rng.pick(['未发现隐患', '']),
      });
      if (!taken) continue;
      const q = this.quarters.findIndex((x) => v.day >= x.from && v.day <= x.to);
      for (const t of [this.inspections.byQuarter[q].counts[v.origin], this.inspections.total[v.origin]]) {
        t.inspections++;
        if (found) t.hazardFound++;
      }
    }
    for (const t of Object.values(this.inspections.total)) t.hitRate = t.inspections ? Math.round((t.hazardFound / t.inspections) * 10000) / 10000 : 0;
    const { LISTED, RANDOM } = this.inspections.total;
    this.inspections.lift = RANDOM.hitRate > 0 ? Math.round((LISTED.hitRate / RANDOM.hitRate) * 100) / 100 : 0;
  }
}

const INSPECTION_PREFIX = { emergency: 'AJ', health: 'WJ', housing: 'ZJ', transport: 'JT' } as const;

/** Construction sites are 住建's (公路 交通运输's), road transport 交通运输's; factories 应急管理's or, for their hazards, 卫健's. */
function inspectingDepartment(ind: Industry, rng: Rng): 'emergency' | 'health' | 'housing' | 'transport' {
  if (ind.code === 'E4812' || ind.code.startsWith('G54')) return 'transport';
  if (ind.group === '建筑施工') return 'housing';
  return ind.factors.length && rng.chance(0.5) ? 'health' : 'emergency';
}

/** The current quarter (up to yesterday) and the `n - 1` before it, oldest first. */
function lastQuarters(clock: Clock, n: number): { label: string; from: number; to: number }[] {
  const [y, m] = clock.day(clock.asOf).split('-').map(Number);
  const out: { label: string; from: number; to: number }[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const index = y * 4 + Math.floor((m - 1) / 3) - k;
    const year = Math.floor(index / 4);
    const q = (index % 4) + 1;
    const from = Date.UTC(year, (q - 1) * 3, 1) / DAY;
    const to = Math.min(Date.UTC(year, q * 3, 1) / DAY - 1, clock.asOf - 1);
    if (from <= to) out.push({ label: `${year}-Q${q}`, from, to });
  }
  return out;
}
