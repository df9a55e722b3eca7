import { Department, EventType } from '../../services/shared/contract';
import {
  ACCIDENT_SUMMARIES, FACTORS, GB6441_1986, HazardFactor, INDUSTRIES, Industry, Region, TRADE_CHARS,
  industry as industryOf, isDustIndustry, regionsFor,
} from './catalog';
import {
  AccidentRow, BenefitRow, CityRecord, DiseaseRow, EnrollmentRow, HazardMeasurementRow, InjuryRow, ProjectRow, RowOf,
} from './columns';
import { PersonIdIssuer, breakCitizenId, breakUscc, makeUscc } from './ids';
import { Instruments, PlantedInspections, PlantedRateAdjustment, PlantedTrainingGaps } from './instruments';
import { Rng } from './prng';

/**
 * The synthetic city: a pure, seeded generator of every department's records, employer by
 * employer, so that even a province streams through in bounded memory. What it plants on purpose
 * (patterns the hub must find, dirty rows it must reject) is collected in `planted`.
 */

export interface CityOptions {
  seed: number;
  employers: number;
  /** The city's "today" (YYYY-MM-DD): every event lies before it, except planted future dates. */
  asOf: string;
  /** How many planted dirty rows are listed one by one in the manifest (all are counted). */
  dirtyListCap?: number;
}

export type PlantKind =
  | 'dustyUninsured' | 'underInsured' | 'accidentProne' | 'fatalAccident' | 'earlyPneumoconiosis'
  | 'projectWithoutCertificate' | 'cluster' | 'futureDate'
  /** 浮动费率: a cycle of benefits several times the contributions (上浮), or none at all (下浮). */
  | 'rateUp' | 'rateDown';

export interface PlantedEmployer {
  uscc: string;
  employerName: string;
  regionCode: string;
  industryCode: string;
  headcount: number;
  /** The rules of CONTRACT.md section 4 this employer should trip. */
  expect: string[];
  /** Record ids (eventIds) of the planted evidence. */
  evidence: string[];
  note?: string;
}

export interface PlantedCluster {
  section: string;
  category: number;
  categoryName: string;
  from: string;
  to: string;
  expect: string[];
  accidents: { id: string; dept: Department; uscc: string; employerName: string; occurredAt: string }[];
}

export type DirtyKind = 'missingUscc' | 'nameVariant' | 'badUscc' | 'badPersonId' | 'futureDate';

export interface DirtyRow {
  file: string;
  id: string;
  kind: DirtyKind;
  /** The employer's true identity, whatever the row says. */
  uscc: string;
  employerName: string;
  written: string;
  expect: 'accepted' | 'rejected';
  reason: string;
}

export interface Planted {
  dustyUninsured: PlantedEmployer[];
  underInsured: PlantedEmployer[];
  accidentProne: PlantedEmployer[];
  fatalAccident: PlantedEmployer[];
  earlyPneumoconiosis: PlantedEmployer[];
  projectWithoutCertificate: PlantedEmployer[];
  typicalAccidentClusters: PlantedCluster[];
  /** 浮动费率: the cycle, the city's 支缴率 and the employers planted to be floated up or down. */
  rateAdjustment: PlantedRateAdjustment;
  /** Key-post training coverage of the key-industry employers, and the PRIORITY ones never trained. */
  trainingGaps: PlantedTrainingGaps;
  /** Inspections per quarter by origin and how often they found hazards (the list's lift over chance). */
  inspections: PlantedInspections;
  dirty: {
    counts: Record<DirtyKind, number>;
    /** Rows each department file should have rejected, by `<dept>/<type>`. */
    expectedRejections: Record<string, number>;
    listed: DirtyRow[];
    listCap: number;
  };
}

const DAY = 86400000;
/** Accidents and determinations look back this far (about 15 months). */
export const WINDOW_DAYS = 450;
/** The catalog's accident rates are per-industry shapes; this sets the city's overall level. */
const ACCIDENT_SCALE = 1.5;

const DIRTY_REASON: Record<DirtyKind, { expect: 'accepted' | 'rejected'; reason: string }> = {
  missingUscc: { expect: 'accepted', reason: '无统一社会信用代码：按单位名称 + 行政区划代码识别' },
  nameVariant: { expect: 'accepted', reason: '单位名称写法不同（有限责任公司/全角括号/空格），规范化后为同一单位' },
  badUscc: { expect: 'rejected', reason: '统一社会信用代码校验位错误' },
  badPersonId: { expect: 'rejected', reason: '身份证号校验位错误' },
  futureDate: { expect: 'rejected', reason: '日期晚于今天（年份录入错误）' },
};

interface Plan {
  kind: PlantKind;
  /** For clusters: which cluster and which member. */
  cluster?: number;
  member?: number;
}

interface ClusterSpec {
  section: string;
  category: number;
  industries: string[];
  members: number;
  startDay: number;
  dept: Department;
}

interface Worker {
  personId: string;
  dust: boolean;
  enrolled: boolean;
  birthDay: number;
}

/** One employer as the city knows it (its true identity; rows may misspell it). */
interface Employer {
  index: number;
  uscc: string;
  name: string;
  region: Region;
  regionIdx: number;
  industry: Industry;
  headcount: number;
  coverage: number;
  plan?: Plan;
}

const KEY_DUSTY = ['C3031', 'C3021', 'B1019', 'C3011', 'C3130'];
/** A second random stream per employer for the plan's other instruments: the rest of the city stays as it was. */
const INSTRUMENTS_STREAM = 0x1a57;

export class City {
  readonly planted: Planted;
  private readonly regions: Region[];
  private readonly regionCum: number[];
  private readonly industryCum: number[];
  private readonly asOfDay: number;
  private readonly people: PersonIdIssuer;
  private readonly plans = new Map<number, Plan>();
  private readonly clusters: ClusterSpec[] = [];
  private readonly counters = new Map<string, number>();
  private readonly dayCache: string[] = [];
  private readonly dirtyListed: Record<DirtyKind, number> = { missingUscc: 0, nameVariant: 0, badUscc: 0, badPersonId: 0, futureDate: 0 };
  private readonly dirtyListCap: number;
  private recommendationMax: number;
  private readonly instruments: Instruments;

  constructor(readonly opts: CityOptions) {
    if (!Number.isInteger(opts.employers) || opts.employers < 1) throw new Error('employers must be a positive integer');
    const asOf = Date.parse(`${opts.asOf}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || Number.isNaN(asOf)) throw new Error(`asOf must be YYYY-MM-DD, got ${opts.asOf}`);
    this.asOfDay = asOf / DAY;
    this.regions = regionsFor(opts.employers);
    this.regionCum = cumulative(this.regions.map((r) => r.weight));
    this.industryCum = cumulative(INDUSTRIES.map((i) => i.share));
    this.people = new PersonIdIssuer(this.regions.map((r) => r.code));
    this.dirtyListCap = opts.dirtyListCap ?? 1000;
    this.recommendationMax = Math.max(50, Math.round(opts.employers * 0.05));
    this.instruments = new Instruments(
      { asOf: this.asOfDay, day: (d) => this.day(d), nextId: (p, w) => this.nextId(p, w), windowStart: this.asOfDay - WINDOW_DAYS },
      this.dirtyListCap,
    );
    this.planted = {
      dustyUninsured: [], underInsured: [], accidentProne: [], fatalAccident: [], earlyPneumoconiosis: [],
      projectWithoutCertificate: [], typicalAccidentClusters: [],
      rateAdjustment: this.instruments.rateAdjustment, trainingGaps: this.instruments.trainingGaps, inspections: this.instruments.inspections,
      dirty: {
        counts: { missingUscc: 0, nameVariant: 0, badUscc: 0, badPersonId: 0, futureDate: 0 },
        expectedRejections: {}, listed: [], listCap: this.dirtyListCap,
      },
    };
    this.makePlan();
  }

  /** Which employers carry which planted pattern: a fixed share of the city, at least a few each. */
  private makePlan(): void {
    const n = this.opts.employers;
    const rng = new Rng(this.opts.seed, 0x91a7);
    const free = (): number => {
      for (;;) {
        const i = rng.int(0, n - 1);
        if (!this.plans.has(i)) return i;
        if (this.plans.size >= n) throw new Error('too few employers for the planted patterns');
      }
    };
    const count = (per: number, min: number): number => Math.min(Math.max(min, Math.round(n / per)), Math.floor(n / 20) || 1);
    const kinds: [PlantKind, number][] = [
      ['dustyUninsured', count(400, 3)],
      ['underInsured', count(500, 3)],
      ['accidentProne', count(500, 3)],
      ['fatalAccident', count(1000, 2)],
      ['earlyPneumoconiosis', count(800, 2)],
      ['projectWithoutCertificate', count(600, 3)],
      ['futureDate', count(20000, 2)],
    ];
    for (const [kind, k] of kinds) for (let j = 0; j < k; j++) this.plans.set(free(), { kind });
    // Typical-accident clusters: ≥ 3 accidents of one GB 6441 category in one section within 30 days.
    const specs: Omit<ClusterSpec, 'startDay'>[] = [
      { section: 'E', category: 9, industries: ['E4710', 'E4790'], members: 4, dept: 'housing' },
      { section: 'C', category: 19, industries: ['C2614', 'C2641', 'C2621'], members: 3, dept: 'emergency' },
    ];
    if (n >= 10) {
      for (const s of specs) {
        const c = this.clusters.length;
        this.clusters.push({ ...s, startDay: this.asOfDay - rng.int(45, 300) });
        for (let m = 0; m < s.members; m++) this.plans.set(free(), { kind: 'cluster', cluster: c, member: m });
      }
    }
    // After the others, so that they fall on the same employers as before these were added.
    for (const kind of ['rateUp', 'rateDown'] as const) for (let j = 0, k = count(400, 3); j < k; j++) this.plans.set(free(), { kind });
  }

  /** Every record of the city, employer by employer. */
  *records(): Generator<CityRecord> {
    for (let i = 0; i < this.opts.employers; i++) {
      yield* this.employerRecords(i);
      this.employersDone = i + 1;
    }
  }

  /** How many employers have been generated so far (for progress bars). */
  employersDone = 0;

  // ---------------------------------------------------------------- employer

  private makeEmployer(index: number, rng: Rng): Employer {
    const plan = this.plans.get(index);
    let ind: Industry;
    let headcount: number;
    switch (plan?.kind) {
      case 'dustyUninsured':
        ind = industryOf(rng.pick(KEY_DUSTY));
        headcount = rng.int(8, 60);
        break;
      case 'underInsured':
        ind = industryOf(rng.pick(['C3484', 'C2614', 'E4710', 'G5430', 'C3130', 'C3011']));
        headcount = rng.int(50, 400);
        break;
      case 'accidentProne':
        ind = industryOf(rng.pick(['E4710', 'E4812', 'B1019', 'C2614', 'C3484']));
        headcount = rng.int(30, 300);
        break;
      case 'fatalAccident':
        ind = industryOf(rng.pick(['E4710', 'B0610', 'G5430', 'C2614', 'C3011']));
        headcount = rng.int(20, 500);
        break;
      case 'earlyPneumoconiosis':
        ind = industryOf(rng.pick(KEY_DUSTY));
        headcount = rng.int(30, 200);
        break;
      case 'projectWithoutCertificate':
        ind = industryOf(rng.pick(['E4710', 'E4790', 'E4812']));
        headcount = rng.int(20, 200);
        break;
      case 'futureDate':
        ind = industryOf(rng.pick(['C2110', 'C3484']));
        headcount = rng.int(10, 80);
        break;
      case 'cluster':
        ind = industryOf(rng.pick(this.clusters[plan.cluster!].industries));
        headcount = rng.int(30, 300);
        break;
      case 'rateUp':
      case 'rateDown':
        ind = industryOf(rng.pick(['C3484', 'C2614', 'C3021', 'E4710', 'G5430', 'C2110', 'C1810']));
        headcount = rng.int(40, 250);
        break;
      default:
        ind = INDUSTRIES[pickCum(this.industryCum, rng)];
        headcount = naturalHeadcount(ind, rng);
    }
    const regionIdx = this.pickRegion(ind, rng);
    const region = this.regions[regionIdx];
    const uscc = makeUscc(index, region.code, this.opts.seed, rng);
    const name = companyName(region, ind, headcount, rng);
    let coverage = naturalCoverage(ind, headcount, rng);
    if (plan?.kind === 'dustyUninsured') coverage = 0;
    else if (plan?.kind === 'underInsured') coverage = 0.4 + rng.next() * 0.3;
    else if (plan && plan.kind !== 'futureDate') coverage = 0.92 + rng.next() * 0.08;
    return { index, uscc, name, region, regionIdx, industry: ind, headcount, coverage, plan };
  }

  private pickRegion(ind: Industry, rng: Rng): number {
    if (ind.cities) {
      const idx = this.regions.map((r, i) => (ind.cities!.includes(r.city) ? i : -1)).filter((i) => i >= 0);
      if (idx.length) return rng.pick(idx);
    }
    return pickCum(this.regionCum, rng);
  }

  private *employerRecords(index: number): Generator<CityRecord> {
    const rng = new Rng(this.opts.seed, index + 1);
    const e = this.makeEmployer(index, rng);
    const ind = e.industry;
    const kind = e.plan?.kind;
    const planted = this.plantedEntry(e);
    const out = new Emitter(this, e, rng);
    const asOf = this.asOfDay;

    // 市场监管 registers every employer; 人社 only those with a social-insurance registration.
    out.emit('market', 'employer', {
      id: this.nextId('SCDJ', 10), ...out.ref(), industryCode: ind.code, headcount: e.headcount, asOf: this.day(asOf - rng.int(30, 330)),
    });
    if (e.coverage > 0) {
      out.emit('hrss', 'employer', { id: this.nextId('SBDJ', 10), ...out.ref(), industryCode: ind.code, headcount: e.headcount, asOf: this.day(asOf) });
    }

    // Workers: enrolled ones now, and the unenrolled who still appear in accidents and diagnoses.
    const dustShare = isDustIndustry(ind) ? 0.4 + rng.next() * 0.4 : 0;
    const enrolledCount = e.coverage > 0 ? Math.max(1, Math.round(e.coverage * e.headcount)) : 0;
    const workers: Worker[] = [];
    for (let w = 0; w < enrolledCount; w++) workers.push(this.worker(e, rng, true, rng.chance(dustShare)));
    const unenrolled = (dust: boolean): Worker => this.worker(e, rng, false, dust);

    // Projects (housing; 公路 from transport), with project-based enrollment 按项目参保.
    const projects: { row: ProjectRow; dept: Department; startDay: number }[] = [];
    if (ind.group === '建筑施工') {
      const nProjects = 1 + Math.min(6, rng.poisson(e.headcount / 60));
      for (let p = 0; p < nProjects; p++) {
        const dept: Department = ind.code === 'E4812' ? 'transport' : 'housing';
        const startDay = asOf - rng.int(30, 700);
        const year = this.day(startDay).slice(0, 4);
        const id = `${dept === 'transport' ? 'GL' : 'XM'}${e.region.code}-${year}-${this.seq('PRJ', 6)}`;
        const withoutCertificate = (kind === 'projectWithoutCertificate' && p === 0) || (!kind && rng.chance(0.12));
        const row: ProjectRow = {
          id, ...out.ref(), projectName: projectName(e.region, dept, rng), startDate: this.day(startDay),
          contractValueYuan: Math.round(rng.lognormal(3e7, 0.9) / 100) * 100,
          insuranceCertificate: withoutCertificate ? '' : `GSBZ${e.region.code}${year}${this.seq('CERT', 6)}`,
        };
        projects.push({ row, dept, startDay });
        out.emit(dept, 'project', row);
        if (withoutCertificate && planted) planted.evidence.push(id);
      }
    }
    const insuredProjects = projects.filter((p) => p.row.insuranceCertificate !== '');

    for (const w of workers) {
      const since = Math.max(asOf - rng.int(1, 6 * 365), w.birthDay + 18 * 366);
      const project = insuredProjects.length && rng.chance(0.7) ? rng.pick(insuredProjects) : undefined;
      out.emit('hrss', 'enrollment', {
        id: this.nextId('CB', 12), ...out.ref(), personId: w.personId, action: 'ENROLL',
        effectiveDate: this.day(Math.min(since, asOf - 1)), dustExposed: w.dust, projectId: project?.row.id ?? '',
      });
    }
    // Leavers: enrolled once, 停保 since.
    const leavers = enrolledCount ? rng.poisson(enrolledCount * 0.12) : 0;
    for (let l = 0; l < leavers; l++) {
      const w = this.worker(e, rng, false, rng.chance(dustShare));
      const from = Math.min(Math.max(asOf - rng.int(200, 6 * 365), w.birthDay + 18 * 366), asOf - 2);
      const to = Math.min(asOf - 1, from + rng.int(60, 1500));
      for (const [action, day] of [['ENROLL', from], ['TERMINATE', to]] as const) {
        out.emit('hrss', 'enrollment', {
          id: this.nextId('CB', 12), ...out.ref(), personId: w.personId, action, effectiveDate: this.day(day), dustExposed: w.dust, projectId: '',
        });
      }
    }

    // Hazard measurements (职业病危害因素定期检测) and the rectifications that followed some.
    const exceeding: HazardMeasurementRow[] = [];
    const dustRows: HazardMeasurementRow[] = [];
    if (ind.factors.length) {
      const measured = kind === 'dustyUninsured' || kind === 'futureDate' || rng.chance(ind.group ? 0.75 : 0.35);
      if (measured) {
        const dustSmall = isDustIndustry(ind) && e.headcount < 50;
        const pExceed = dustSmall ? 0.25 : isDustIndustry(ind) ? 0.08 : 0.06;
        const factors = [ind.factors[0], ...ind.factors.slice(1).filter(() => rng.chance(0.5))];
        let first = true;
        for (const f of factors) {
          const spec: HazardFactor = FACTORS[f];
          const posts = Math.min(ind.posts.length, rng.int(1, 2));
          for (let p = 0; p < posts; p++) {
            const forced = first && kind === 'dustyUninsured';
            const exceed = forced || (!kind && rng.chance(pExceed));
            const sampledDay = asOf - rng.int(10, 360);
            const futureDate = first && kind === 'futureDate' && e.index % 2 === 0;
            const row: HazardMeasurementRow = {
              id: this.nextId('JC', 10), ...out.ref(), factor: spec.factor, post: ind.posts[(p + rng.int(0, 9)) % ind.posts.length],
              measured: measuredValue(spec, exceed, rng), limit: spec.limit, unit: spec.unit, limitType: spec.limitType,
              sampledAt: this.day(sampledDay),
            };
            if (futureDate) row.sampledAt = typoYear(row.sampledAt);
            if (spec.dust && isDustIndustry(ind)) dustRows.push(row);
            out.emit('health', 'hazard', row, futureDate ? 'futureDate' : undefined);
            if (exceed) {
              exceeding.push(row);
              if (forced && planted) planted.evidence.push(row.id);
            }
            first = false;
          }
        }
      }
    }
    // 接害人数 of the dust posts: the enrolled dust workers and, among the unenrolled, the same
    // share (so an employer covering 90% of its headcount covers 90% of its dust workers); split
    // over the posts measured, one number per post. No random draws: the rest of the city stays.
    if (dustRows.length) {
      const enrolledDust = workers.filter((w) => w.dust).length;
      const unenrolled = e.headcount - enrolledCount;
      const exposed = enrolledCount > 0 ? enrolledDust + Math.floor((unenrolled * enrolledDust) / enrolledCount) : Math.round(e.headcount * dustShare);
      const posts = [...new Set(dustRows.map((r) => r.post))];
      const share = (i: number) => Math.floor(exposed / posts.length) + (i < exposed % posts.length ? 1 : 0);
      for (const r of dustRows) r.exposedWorkers = share(posts.indexOf(r.post));
    }
    for (const h of exceeding) {
      if (kind || !rng.chance(0.25)) continue;
      const verifiedDay = Date.parse(`${h.sampledAt}T00:00:00Z`) / DAY + rng.int(30, 60);
      if (verifiedDay >= asOf) continue;
      const passed = rng.chance(0.75);
      out.emit('health', 'rectification', {
        id: this.nextId('FC', 10), ...out.ref(), recommendationId: this.recommendationId(verifiedDay, rng),
        result: passed ? 'PASSED' : 'FAILED', verifiedAt: this.day(verifiedDay),
        note: passed ? rng.pick(['除尘设施已改造，复测合格', '已更换局部排风装置并完成复测', '已调整作业方式并配发防护用品，复测合格']) : '整改措施未落实到位，复测仍超标',
      });
    }

    // Accidents at the industry's rate (sublinear for big employers: they are safer per head).
    const eff = e.headcount <= 100 ? e.headcount : 100 * Math.pow(e.headcount / 100, 0.85);
    const accidents: AccidentRow[] = [];
    const accidentDept: Department = ind.group === '建筑施工' ? 'housing' : ind.code.startsWith('G54') ? 'transport' : 'emergency';
    const nAcc = kind ? 0 : rng.poisson((ACCIDENT_SCALE * ind.accidentRate * eff) / 100 * (WINDOW_DAYS / 365));
    const addAccident = (o: { day: number; category?: number; deaths?: number; project?: (typeof projects)[number] }): AccidentRow => {
      const row = this.accident(e, out, rng, o.day, o.category ?? rng.weighted(catKeys(ind), catWeights(ind)), o.deaths);
      const started = projects.filter((p) => p.startDay <= o.day);
      const project = o.project ?? (started.length && rng.chance(0.8) ? rng.pick(started) : undefined);
      if (project) row.projectId = project.row.id;
      out.emit(accidentDept, 'accident', row);
      accidents.push(row);
      return row;
    };
    for (let a = 0; a < nAcc; a++) addAccident({ day: asOf - rng.int(1, WINDOW_DAYS) });
    if (kind === 'accidentProne') {
      for (let a = 0, k = rng.int(3, 5); a < k; a++) planted!.evidence.push(addAccident({ day: asOf - rng.int(1, 360), deaths: 0 }).id);
    } else if (kind === 'fatalAccident') {
      planted!.evidence.push(addAccident({ day: asOf - rng.int(1, 360), deaths: rng.chance(0.8) ? 1 : rng.int(2, 3) }).id);
    } else if (kind === 'projectWithoutCertificate' && rng.chance(0.5)) {
      const p = projects[0];
      const day = Math.max(p.startDay + 1, asOf - rng.int(1, 360));
      planted!.evidence.push(addAccident({ day: Math.min(day, asOf - 1), project: p, deaths: 0 }).id);
      planted!.note = '项目未提交参保证明且发生事故（应升级）';
    } else if (kind === 'futureDate' && e.index % 2 === 1) {
      const row = this.accident(e, out, rng, asOf - rng.int(1, 200), rng.weighted(catKeys(ind), catWeights(ind)), 0);
      row.occurredAt = typoYear(row.occurredAt);
      out.emit(accidentDept, 'accident', row, 'futureDate');
    } else if (kind === 'cluster') {
      const c = this.clusters[e.plan!.cluster!];
      const day = c.startDay + [0, 6, 13, 21, 27][e.plan!.member!];
      const row = addAccident({ day, category: c.category, deaths: 0 });
      this.clusterEntry(e.plan!.cluster!).accidents.push({ id: row.id, dept: accidentDept, uscc: e.uscc, employerName: e.name, occurredAt: row.occurredAt });
    }
    if (!kind && (accidents.length >= 2 || accidents.some((a) => a.deaths > 0)) && rng.chance(0.4)) {
      const last = accidents.reduce((m, a) => (a.occurredAt > m ? a.occurredAt : m), '');
      const verifiedDay = Date.parse(last.slice(0, 10) + 'T00:00:00Z') / DAY + rng.int(20, 60);
      if (verifiedDay < asOf) {
        const passed = rng.chance(0.8);
        out.emit('emergency', 'rectification', {
          id: this.nextId('FC', 10), ...out.ref(), recommendationId: this.recommendationId(verifiedDay, rng),
          result: passed ? 'PASSED' : 'FAILED', verifiedAt: this.day(verifiedDay),
          note: passed ? rng.pick(['已开展事故隐患排查整治，安全培训全覆盖', '已完善安全管理制度并落实全员安全生产责任制']) : '部分隐患未整改到位',
        });
      }
    }

    // Occupational disease: pneumoconiosis among dust workers, plus noise deafness and poisonings.
    const pickPerson = (dust: boolean): Worker => {
      const pool = workers.filter((w) => w.dust === dust || !dust);
      return pool.length && rng.chance(e.coverage) ? rng.pick(pool) : unenrolled(dust);
    };
    if (ind.pneumoconiosis && isDustIndustry(ind)) {
      const dustWorkers = Math.max(1, Math.round(e.headcount * dustShare));
      const rate = e.headcount < 50 ? 0.006 : 0.002;
      const nDis = kind ? 0 : rng.poisson(dustWorkers * rate);
      for (let d = 0; d < nDis; d++) this.disease(out, rng, pickPerson(true), 1, `${ind.pneumoconiosis}${stage(rng)}`, 5 + rng.int(0, 250) / 10);
      if (kind === 'earlyPneumoconiosis') {
        const years = rng.int(15, 49) / 10;
        planted!.evidence.push(this.disease(out, rng, pickPerson(true), 1, `${ind.pneumoconiosis}壹期`, years).id);
        planted!.note = `接尘工龄 ${years} 年`;
      }
    }
    if (!kind) {
      if (ind.factors.includes('噪声') && rng.chance(e.headcount * 0.0005)) this.disease(out, rng, pickPerson(false), 4, '职业性噪声聋', 3 + rng.int(0, 200) / 10);
      if (ind.factors.includes('苯') && rng.chance(e.headcount * 0.0003)) this.disease(out, rng, pickPerson(false), 5, '职业性慢性苯中毒', 1 + rng.int(0, 150) / 10);
      if (ind.group === '冶金' && rng.chance(e.headcount * 0.0003)) this.disease(out, rng, pickPerson(false), 6, '职业性中暑', rng.int(5, 100) / 10);
    }

    // 工伤认定: from the accidents' injured, and the everyday injuries that were never an accident report.
    const injuryDays: number[] = [];
    const injuries: InjuryRow[] = [];
    for (const a of accidents) if (a.seriousInjuries + a.minorInjuries > 0 && rng.chance(0.7)) injuryDays.push(Date.parse(a.occurredAt) / DAY | 0);
    const nInj = kind ? 0 : rng.poisson((ind.injuryRate * eff) / 100);
    for (let j = 0; j < nInj; j++) injuryDays.push(asOf - rng.int(20, 400));
    if (kind === 'dustyUninsured' && rng.chance(0.5)) injuryDays.push(asOf - rng.int(60, 300));
    for (const day of injuryDays) {
      const decided = day + rng.int(20, 60);
      if (decided >= asOf) continue;
      const w = pickPerson(false);
      const row: InjuryRow = {
        id: this.nextId('RD', 10), ...out.ref(), personId: w.personId, injuryDate: this.day(day),
        decision: rng.chance(0.9) ? 'RECOGNIZED' : 'NOT_RECOGNIZED', insuredAtInjury: w.enrolled, decidedAt: this.day(decided),
      };
      out.emit('hrss', 'injury', row);
      injuries.push(row);
      if (kind === 'dustyUninsured' && planted) {
        planted.evidence.push(row.id);
        if (!planted.expect.includes('UNINSURED')) planted.expect.push('UNINSURED');
      }
    }

    // The plan's other instruments (缴费, 待遇支付, 培训, 检查), from what this employer's records say.
    const more = new Emitter(this, e, new Rng(this.opts.seed, index + 1, INSTRUMENTS_STREAM));
    this.instruments.employer(
      {
        uscc: e.uscc, employerName: e.name, regionCode: e.region.code, industry: ind, headcount: e.headcount, coverage: e.coverage, kind,
        enrolled: workers.map((w) => w.personId), injuries: injuries.map((r) => out.truth(r)),
        diseases: out.emitted('disease').map((r) => out.truth(r)), accidents, rectifications: out.emitted('rectification'),
        exceedingMeasurements: exceeding.length,
      },
      {
        emit: (dept, type, row) => {
          const dirty = more.emit(dept, type, row);
          return !dirty || DIRTY_REASON[dirty].expect === 'accepted';
        },
        ref: () => more.ref(),
      },
      more.rng,
    );
    yield* out.drain();
    yield* more.drain();
  }

  // ---------------------------------------------------------------- pieces

  private worker(e: Employer, rng: Rng, enrolled: boolean, dust: boolean): Worker {
    // Most workers are local: their ID's region is the employer's; some come from elsewhere in the city.
    const regionIdx = rng.chance(0.8) ? e.regionIdx : rng.int(0, this.regions.length - 1);
    const { id, birthDay } = this.people.issue(regionIdx, rng);
    return { personId: id, dust, enrolled, birthDay };
  }

  private accident(e: Employer, out: Emitter, rng: Rng, day: number, category: number, deathsForced?: number): AccidentRow {
    const g = e.industry.group;
    const pDeath = g === '矿山' ? 0.08 : g === '建筑施工' || g === '交通运输' ? 0.06 : g ? 0.04 : 0.02;
    const deaths = deathsForced ?? (rng.chance(pDeath) ? (rng.chance(0.9) ? 1 : rng.int(2, 3)) : 0);
    const serious = deaths ? rng.int(0, 2) : rng.chance(0.35) ? rng.int(1, 2) : 0;
    const minor = deaths || serious ? rng.int(0, 2) : rng.int(1, 3);
    const loss = deaths * rng.int(120, 300) * 10000 + serious * rng.lognormal(150000, 0.6) + minor * rng.lognormal(20000, 0.7);
    const hour = rng.chance(0.85) ? rng.int(7, 18) : rng.pick([0, 1, 2, 3, 4, 5, 6, 19, 20, 21, 22, 23]);
    const post = e.industry.posts.length ? rng.pick(e.industry.posts) : '作业人员';
    const summary = rng.pick(ACCIDENT_SUMMARIES[category]).replace('{post}', post).replace('{h}', String(rng.int(3, 20)));
    const year = this.day(day).slice(0, 4);
    return {
      id: `${out.accidentPrefix()}-${year}-${this.seq('ACC', 7)}`, ...out.ref(),
      occurredAt: `${this.day(day)}T${pad2(hour)}:${pad2(rng.int(0, 59))}:00+08:00`, category, deaths,
      seriousInjuries: serious, minorInjuries: minor, directLossYuan: Math.round(loss / 100) * 100, summary, projectId: '',
    };
  }

  private disease(out: Emitter, rng: Rng, w: Worker, category: number, diseaseName: string, exposureYears: number): DiseaseRow {
    const row: DiseaseRow = {
      id: this.nextId('ZD', 10), ...out.ref(), personId: w.personId, category, diseaseName,
      diagnosedAt: this.day(this.asOfDay - rng.int(5, 365)), exposureYears,
    };
    out.emit('health', 'disease', row);
    return row;
  }

  private recommendationId(day: number, rng: Rng): string {
    return `WHP-REC-${this.day(day).slice(0, 4)}-${String(rng.int(1, this.recommendationMax)).padStart(6, '0')}`;
  }

  /** Record ids: a per-prefix running number, deterministic because employers come in order. */
  nextId(prefix: string, width: number): string {
    return `${prefix}${this.day(this.asOfDay).slice(0, 4)}${this.seq(prefix, width)}`;
  }

  private seq(key: string, width: number): string {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return String(n).padStart(width, '0');
  }

  /** ISO date of a day number (days since 1970-01-01); cached, the city uses a few thousand days. */
  day(d: number): string {
    const k = d - this.asOfDay + 8000;
    if (k < 0 || k >= 20000) return new Date(d * DAY).toISOString().slice(0, 10);
    return (this.dayCache[k] ??= new Date(d * DAY).toISOString().slice(0, 10));
  }

  // ---------------------------------------------------------------- planted bookkeeping

  private plantedEntry(e: Employer): PlantedEmployer | undefined {
    const kind = e.plan?.kind;
    if (!kind || kind === 'cluster' || kind === 'futureDate' || kind === 'rateUp' || kind === 'rateDown') return undefined;
    const expect: Record<typeof kind, string[]> = {
      dustyUninsured: ['HAZARD_EXCEEDED', 'UNDER_INSURED', 'PRIORITY'],
      underInsured: ['UNDER_INSURED'],
      accidentProne: ['ACCIDENT_PRONE'],
      fatalAccident: ['ACCIDENT_PRONE', 'TYPICAL_ACCIDENT'],
      earlyPneumoconiosis: ['EARLY_PNEUMOCONIOSIS'],
      projectWithoutCertificate: ['PROJECT_UNINSURED'],
    };
    const entry: PlantedEmployer = {
      uscc: e.uscc, employerName: e.name, regionCode: e.region.code, industryCode: e.industry.code, headcount: e.headcount,
      expect: [...expect[kind]], evidence: [],
    };
    if (kind === 'underInsured') entry.note = `参保率约 ${Math.round(e.coverage * 100)}%`;
    this.planted[kind].push(entry);
    return entry;
  }

  private clusterEntry(c: number): PlantedCluster {
    while (this.planted.typicalAccidentClusters.length <= c) {
      const s = this.clusters[this.planted.typicalAccidentClusters.length];
      this.planted.typicalAccidentClusters.push({
        section: s.section, category: s.category, categoryName: GB6441_1986[s.category],
        from: this.day(s.startDay), to: this.day(s.startDay + 27), expect: ['TYPICAL_ACCIDENT'], accidents: [],
      });
    }
    return this.planted.typicalAccidentClusters[c];
  }

  recordDirty(row: DirtyRow): void {
    const d = this.planted.dirty;
    d.counts[row.kind]++;
    if (row.expect === 'rejected') d.expectedRejections[row.file] = (d.expectedRejections[row.file] ?? 0) + 1;
    if (this.dirtyListed[row.kind] < this.dirtyListCap) {
      this.dirtyListed[row.kind]++;
      d.listed.push(row);
    }
  }
}

/**
 * Collects one employer's records and applies the dirty-data roll to each on the way out. Planted
 * employers stay clean, so what the hub should find does not depend on what it should reject.
 */
class Emitter {
  private readonly buf: CityRecord[] = [];
  /** Rows as they were before a planted error was written into them. */
  private readonly clean = new Map<object, object>();
  constructor(
    private readonly city: City,
    private readonly e: Employer,
    readonly rng: Rng,
  ) {}

  /** The row as it truly is, whatever planted error it carries. */
  truth<R extends object>(row: R): R {
    return (this.clean.get(row) as R | undefined) ?? row;
  }

  /** The rows of one type emitted so far. */
  emitted<T extends EventType>(type: T): RowOf[T][] {
    return this.buf.filter((r) => r.type === type).map((r) => r.row as RowOf[T]);
  }

  ref(): { uscc: string; employerName: string; regionCode: string } {
    return { uscc: this.e.uscc, employerName: this.e.name, regionCode: this.e.region.code };
  }

  accidentPrefix(): string {
    const g = this.e.industry.group;
    return g === '建筑施工' ? 'ZJSG' : this.e.industry.code.startsWith('G54') ? 'JTSG' : 'YJSG';
  }

  /** Emits the row, with a planted error now and then (never for planted employers); returns the error. */
  emit<T extends EventType>(dept: Department, type: T, row: RowOf[T], forced?: DirtyKind): DirtyKind | undefined {
    const kind = forced ?? (this.e.plan ? undefined : this.dirtyRoll(dept, type, row));
    if (kind) {
      this.clean.set(row, { ...row });
      this.dirty(dept, type, row, kind);
    }
    this.buf.push({ dept, type, row } as CityRecord);
    return kind;
  }

  private dirtyRoll(dept: Department, type: EventType, row: RowOf[EventType]): DirtyKind | undefined {
    const x = this.rng.next();
    const hasPerson = 'personId' in row;
    const nameOnlyDept = dept !== 'hrss' && dept !== 'market';
    if (x < 0.0015) return 'badUscc';
    if (x < 0.003) return hasPerson ? 'badPersonId' : undefined;
    if (x < 0.008) return type === 'employer' ? undefined : 'nameVariant';
    if (x < 0.013) return nameOnlyDept ? 'missingUscc' : undefined;
    return undefined;
  }

  private dirty(dept: Department, type: EventType, row: RowOf[EventType], kind: DirtyKind): void {
    let written = '';
    switch (kind) {
      case 'badUscc':
        row.uscc = written = breakUscc(row.uscc, this.rng);
        break;
      case 'badPersonId': {
        const r = row as EnrollmentRow | DiseaseRow | InjuryRow | BenefitRow;
        r.personId = written = breakCitizenId(r.personId, this.rng);
        break;
      }
      case 'nameVariant':
        row.employerName = written = nameVariant(row.employerName, this.rng);
        break;
      case 'missingUscc':
        row.uscc = '';
        written = `${row.employerName} / ${row.regionCode}`;
        break;
      case 'futureDate':
        written = (row as HazardMeasurementRow).sampledAt ?? (row as AccidentRow).occurredAt;
        break;
    }
    const { expect, reason } = DIRTY_REASON[kind];
    this.city.recordDirty({ file: `${dept}/${type}`, id: row.id, kind, uscc: this.e.uscc, employerName: this.e.name, written, expect, reason });
  }

  *drain(): Generator<CityRecord> {
    yield* this.buf;
    this.buf.length = 0;
  }
}

// ------------------------------------------------------------------ distributions and words

function cumulative(weights: number[]): number[] {
  let s = 0;
  return weights.map((w) => (s += w));
}

function pickCum(cum: number[], rng: Rng): number {
  const x = rng.next() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Many small firms, few large: lognormal body (median ≈ 5) with a Pareto tail. */
function naturalHeadcount(ind: Industry, rng: Rng): number {
  const base = rng.chance(0.015) ? rng.pareto(60, 1.4) : rng.lognormal(5, 0.9);
  return Math.max(1, Math.min(30000, Math.round(base * ind.size)));
}

/** Insured share of the workforce: most key-industry firms 90–100%, some 0 (未依法参保), some partial. */
function naturalCoverage(ind: Industry, headcount: number, rng: Rng): number {
  const key = ind.group !== null;
  const pZero = key ? (headcount < 20 ? 0.1 : 0.03) : headcount < 10 ? 0.22 : 0.08;
  const pPartial = key ? 0.15 : 0.22;
  const x = rng.next();
  if (x < pZero) return 0;
  if (x < pZero + pPartial) return 0.3 + rng.next() * 0.55;
  return 0.9 + rng.next() * 0.1;
}

function measuredValue(f: HazardFactor, exceed: boolean, rng: Rng): number {
  if (f.limitType === '8h-Leq') {
    return exceed ? round(f.limit + 0.1 + rng.next() * 12, 1) : round(Math.min(f.limit - 0.1, 70 + rng.next() * 15), 1);
  }
  const digits = f.limit < 10 ? 2 : 1;
  const step = 10 ** -digits;
  if (exceed) return Math.max(round(f.limit * (1.1 + rng.next() * 2.9), digits), round(f.limit + step, digits));
  return Math.max(step, Math.min(round(f.limit * Math.min(0.98, rng.lognormal(0.35, 0.5)), digits), round(f.limit - step, digits)));
}

function round(x: number, digits: number): number {
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}

function stage(rng: Rng): string {
  const x = rng.next();
  return x < 0.75 ? '壹期' : x < 0.95 ? '贰期' : '叁期';
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const catCache = new Map<Industry, [number[], number[]]>();
function catPair(ind: Industry): [number[], number[]] {
  let p = catCache.get(ind);
  if (!p) {
    const keys = Object.keys(ind.categories).map(Number);
    p = [keys, keys.map((k) => ind.categories[k])];
    catCache.set(ind, p);
  }
  return p;
}
const catKeys = (ind: Industry): number[] => catPair(ind)[0];
const catWeights = (ind: Industry): number[] => catPair(ind)[1];

/** A year typed with its last two digits swapped (2026 → 2062): always in the future. */
export function typoYear(date: string): string {
  const y = Number(date.slice(0, 4));
  const swapped = Number(date.slice(0, 2) + date[3] + date[2]);
  const year = swapped > y + 1 ? swapped : y + 10;
  return String(year) + date.slice(4);
}

/** 地名 + 字号 + 行业 + 组织形式, e.g. 宿迁恒达建材有限公司 or 恒达建材（沭阳）有限公司. */
export function companyName(region: Region, ind: Industry, headcount: number, rng: Rng): string {
  const trade = rng.pick(TRADE_CHARS) + rng.pick(TRADE_CHARS) + (rng.chance(0.2) ? rng.pick(TRADE_CHARS) : '');
  const word = rng.pick(ind.words);
  const form = headcount > 300 && rng.chance(0.3) ? '股份有限公司' : rng.chance(0.1) ? '有限责任公司' : '有限公司';
  const place = headcount > 200 && rng.chance(0.3) ? '江苏' : region.place;
  if (word === '医院') return `${place}${trade}医院有限公司`;
  if (rng.chance(0.12)) return `${trade}${word}（${place}）${form}`;
  return `${place}${trade}${word}${form}`;
}

/** How the same employer's name gets written differently across departments. */
export function nameVariant(name: string, rng: Rng): string {
  const options: (() => string)[] = [
    () => (name.includes('有限责任公司') ? name.replace('有限责任公司', '有限公司') : name.replace('有限公司', '有限责任公司')),
    () => `${name.slice(0, 2)} ${name.slice(2)}`,
    () => ` ${name}  `,
  ];
  if (name.includes('（')) options.push(() => name.replace('（', '(').replace('）', ')'));
  return rng.pick(options)();
}

function projectName(region: Region, dept: Department, rng: Rng): string {
  if (dept === 'transport') {
    const road = rng.chance(0.5) ? `S${rng.int(201, 399)}省道` : `G${rng.int(104, 346)}国道`;
    return `${road}${region.name}段${rng.pick(['改扩建工程', '路面大修工程', '桥梁加固工程'])}`;
  }
  const name = rng.pick(TRADE_CHARS) + rng.pick(TRADE_CHARS);
  return `${region.place}${rng.pick([`${name}花园${rng.int(1, 3)}期`, `${name}安置小区`, `${name}商业综合体`, `第${rng.int(1, 9)}实验学校教学楼`, `${name}产业园标准厂房`])}工程`;
}

export function generateCity(opts: CityOptions): { city: City; records: Generator<CityRecord> } {
  const city = new City(opts);
  return { city, records: city.records() };
}
