import crypto from 'node:crypto';
import { Department, RuleId } from '../shared/contract';
import { EnrollmentRecord, EnrollmentTimeline } from './enrollment';
import { RegionConfig, industrySection, matchesPrefix } from '../shared/regionConfig';

/**
 * The correlation rules of CONTRACT.md section 4 as one pure function of an employer's facts.
 * Everything is judged in event time: an alert's openedAt is when its condition became true
 * according to the events themselves, so any arrival order of the same events gives the same
 * alerts (and the same ids).
 */
export type { RuleId };
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type RecommendationKind = 'RECTIFY' | 'MONITOR' | 'EXPAND_COVERAGE' | 'JOINT' | 'SUPERVISE' | 'ESCALATE';

export interface Fact {
  department: string;
  eventType: string;
  eventId: string;
  eventTime: string; // ISO timestamp
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface EmployerFacts {
  employerKey: string;
  uscc: string | null;
  name: string;
  regionCode: string;
  industryCode: string | null;
  facts: Fact[];
}

export interface Evidence {
  department: string;
  eventType: string;
  eventId: string;
}

export interface RecommendationDraft {
  recommendationId: string;
  kind: RecommendationKind;
  departments: Department[];
  issuedAt: string; // YYYY-MM-DD
  deadline: string | null;
  text: string;
}

export interface RuleHit {
  alertId: string;
  rule: RuleId;
  severity: Severity;
  score: number;
  explanation: string;
  evidence: Evidence[];
  routedTo: Department[];
  openedAt: string; // event time the condition became true
  updatedAt: string; // latest evidence event time
  recommendation: RecommendationDraft | null;
}

/** Accidents and insured workers of one GB/T 4754 section, across the region (for rates). */
export type SectionRates = Record<string, { accidents: number; insuredWorkers: number }>;

const DAY = 86_400_000;
const day = (iso: string): string => iso.slice(0, 10);
/** Calendar day in China (UTC+8) of an instant, for comparing timestamps with dates. */
const localDay = (iso: string): string => (iso.length <= 10 ? iso : new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10));
const addDays = (iso: string, n: number): string => new Date(Date.parse(day(iso) + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10);
const ms = (iso: string): number => Date.parse(iso.length <= 10 ? `${iso}T00:00:00+08:00` : iso);
const cnDate = (iso: string): string => {
  const [y, m, d] = localDay(iso).split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

export function alertIdFor(employerKey: string, rule: RuleId, openedAt: string): string {
  return 'ALT-' + crypto.createHash('sha256').update(`${employerKey}|${rule}|${openedAt}`).digest('hex').slice(0, 20);
}
export function recommendationIdFor(alertId: string): string {
  return 'REC-' + crypto.createHash('sha256').update(`rec|${alertId}`).digest('hex').slice(0, 20);
}

const evidenceOf = (facts: Fact[]): Evidence[] => {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const f of facts) {
    const k = `${f.department}|${f.eventType}|${f.eventId}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ department: f.department, eventType: f.eventType, eventId: f.eventId });
    }
  }
  return out.sort((a, b) => (a.department + a.eventType + a.eventId < b.department + b.eventType + b.eventId ? -1 : 1));
};
const latest = (facts: Fact[]): string => facts.reduce((m, f) => (f.eventTime > m ? f.eventTime : m), facts[0].eventTime);

/**
 * Start of the run, ending at `asOf`, during which `holds` is true. `holds` must be constant
 * between consecutive change points; returns null when it does not hold at `asOf`.
 */
export function episodeStart(changePoints: string[], holds: (t: string) => boolean, asOf: string): string | null {
  const points = [...new Set(changePoints.filter((p) => ms(p) <= ms(asOf)))].sort((a, b) => ms(a) - ms(b));
  if (!holds(asOf)) return null;
  let start: string | null = null;
  for (let i = points.length - 1; i >= 0; i--) {
    if (holds(points[i])) start = points[i];
    else break;
  }
  return start ?? asOf;
}

export interface EvaluationContext {
  region: RegionConfig;
  asOf: string; // ISO timestamp: "now" for windows and deadlines
  sectionRates?: SectionRates;
}

export function evaluateEmployer(e: EmployerFacts, ctx: EvaluationContext): RuleHit[] {
  const { region, asOf } = ctx;
  const R = region.rules;
  const today = localDay(asOf);
  const byType = (t: string) => e.facts.filter((f) => f.eventType === t);
  const accidents = byType('accident');
  const hazards = byType('hazard');
  const diseases = byType('disease');
  const injuries = byType('injury');
  const projects = byType('project');
  const rectifications = byType('rectification');
  const employerRecords = byType('employer').sort((a, b) => (a.payload.asOf < b.payload.asOf ? -1 : a.payload.asOf > b.payload.asOf ? 1 : a.eventId < b.eventId ? -1 : 1));
  const enrollmentFacts = byType('enrollment');
  const timeline = new EnrollmentTimeline(
    enrollmentFacts.map((f) => ({
      eventId: f.eventId,
      personId: f.payload.personId,
      action: f.payload.action,
      effectiveDate: f.payload.effectiveDate,
      dustExposed: !!f.payload.dustExposed,
    })) as EnrollmentRecord[],
  );
  const headcountOn = (d: string): { headcount: number; fact: Fact } | null => {
    let found: Fact | null = null;
    for (const r of employerRecords) if (r.payload.asOf <= d) found = r;
    return found ? { headcount: found.payload.headcount, fact: found } : null;
  };
  const industryCode = employerRecords.length ? employerRecords[employerRecords.length - 1].payload.industryCode : e.industryCode;
  const keyIndustry = matchesPrefix(industryCode, region.keyIndustryPrefixes);
  const dustIndustry = matchesPrefix(industryCode, region.dustIndustryPrefixes);
  const passedFor = (recId: string) => rectifications.filter((r) => r.payload.recommendationId === recId && r.payload.result === 'PASSED');
  const hits: RuleHit[] = [];
  const make = (
    rule: RuleId,
    openedAt: string,
    facts: Fact[],
    fields: Omit<RuleHit, 'alertId' | 'rule' | 'openedAt' | 'updatedAt' | 'evidence' | 'recommendation'>,
    rec?: { kind: RecommendationKind; departments: Department[]; deadlineDays: number | null; text: string },
  ): RuleHit => {
    const alertId = alertIdFor(e.employerKey, rule, openedAt);
    // A recommendation can only be issued once the hub knows: from the later of the event date
    // and the day the events that made the condition true were received (ingestedAt, replay-stable).
    const known = facts
      .filter((f) => ms(f.eventTime) <= ms(openedAt) && typeof f.payload.ingestedAt === 'string')
      .reduce((m, f) => (localDay(f.payload.ingestedAt) > m ? localDay(f.payload.ingestedAt) : m), localDay(openedAt));
    const issuedAt = known > today ? today : known;
    return {
      alertId,
      rule,
      openedAt,
      updatedAt: latest(facts),
      evidence: evidenceOf(facts),
      recommendation: rec
        ? {
            recommendationId: recommendationIdFor(alertId),
            kind: rec.kind,
            departments: rec.departments,
            issuedAt,
            deadline: rec.deadlineDays === null ? null : addDays(issuedAt, rec.deadlineDays),
            text: rec.text,
          }
        : null,
      ...fields,
    };
  };

  // ── HAZARD_EXCEEDED: measured > limit; an episode ends with a PASSED re-check of its
  //    recommendation, or when every exceeding factor/post was re-measured within its limit.
  const hazardSorted = [...hazards].sort((a, b) => (a.payload.sampledAt === b.payload.sampledAt ? (a.eventId < b.eventId ? -1 : 1) : a.payload.sampledAt < b.payload.sampledAt ? -1 : 1));
  const exceeds = (f: Fact) => Number(f.payload.measured) > Number(f.payload.limit);
  let hazardEpisode: { start: string; facts: Fact[] } | null = null;
  let endedAt: string | null = null;
  for (const h of hazardSorted) {
    if (h.payload.sampledAt > today) continue;
    if (hazardEpisode) {
      const recId = recommendationIdFor(alertIdFor(e.employerKey, 'HAZARD_EXCEEDED', hazardEpisode.start));
      const passed = passedFor(recId).filter((p) => p.payload.verifiedAt <= h.payload.sampledAt);
      if (passed.length) {
        hazardEpisode = null;
        endedAt = passed[0].payload.verifiedAt;
      }
    }
    if (exceeds(h)) {
      if (!hazardEpisode && (!endedAt || h.payload.sampledAt >= endedAt)) hazardEpisode = { start: h.payload.sampledAt, facts: [] };
      hazardEpisode?.facts.push(h);
    } else if (hazardEpisode) {
      // A within-limit re-measurement cures its factor/post; the episode ends when all are cured.
      const open = new Map<string, Fact>();
      for (const x of hazardEpisode.facts) open.set(`${x.payload.factor}|${x.payload.post}`, x);
      for (const y of hazardSorted) {
        if (y.payload.sampledAt <= h.payload.sampledAt && y.payload.sampledAt >= hazardEpisode.start) {
          const k = `${y.payload.factor}|${y.payload.post}`;
          if (exceeds(y)) open.set(k, y);
          else open.delete(k);
        }
      }
      if (open.size === 0) {
        hazardEpisode = null;
        endedAt = h.payload.sampledAt;
      }
    }
  }
  if (hazardEpisode) {
    const recId = recommendationIdFor(alertIdFor(e.employerKey, 'HAZARD_EXCEEDED', hazardEpisode.start));
    if (passedFor(recId).some((p) => p.payload.verifiedAt <= today && p.payload.verifiedAt >= hazardEpisode!.start)) hazardEpisode = null;
  }
  let hazardHit: RuleHit | null = null;
  if (hazardEpisode) {
    const worst = hazardEpisode.facts.reduce((w, f) => (f.payload.measured / f.payload.limit > w.payload.measured / w.payload.limit ? f : w));
    const ratio = worst.payload.measured / worst.payload.limit;
    const factors = [...new Set(hazardEpisode.facts.map((f) => f.payload.factor))].join('、');
    const p = worst.payload;
    hazardHit = make(
      'HAZARD_EXCEEDED',
      hazardEpisode.start,
      hazardEpisode.facts,
      {
        severity: ratio >= 3 ? 'CRITICAL' : ratio >= 2 ? 'HIGH' : 'MEDIUM',
        score: Math.round((50 + Math.min(30, 10 * (ratio - 1))) * 10) / 10,
        explanation:
          `自${cnDate(hazardEpisode.start)}起，该单位共有 ${hazardEpisode.facts.length} 次职业病危害因素检测超标（${factors}）。` +
          `最严重的一次：${cnDate(p.sampledAt)}${p.post}岗位${p.factor}检测值 ${fmt(p.measured)} ${p.unit}，超过${String(p.limitType).replace('_', '-')}限值 ${fmt(p.limit)} ${p.unit}，为限值的 ${fmt(Math.round(ratio * 10) / 10)} 倍。` +
          `建议卫生健康部门下达限期整改建议，${R.hazardDeadlineDays} 日内整改。`,
        routedTo: ['health'],
      },
      {
        kind: 'RECTIFY',
        departments: ['health'],
        deadlineDays: R.hazardDeadlineDays,
        text: `依据《中华人民共和国职业病防治法》，请于期限内对${factors}超标岗位采取工程防护和个体防护措施，整改后申请复查。`,
      },
    );
    hits.push(hazardHit);
  }

  // ── ACCIDENT_PRONE: ≥ N accidents in the trailing window, any death in it, or a smoothed
  //    accident rate ≥ multiple × the section average (with ≥ 2 accidents).
  const W = R.accidentWindowDays * DAY;
  const pastAccidents = accidents.filter((a) => ms(a.payload.occurredAt) <= ms(asOf));
  const inWindow = (t: string) => pastAccidents.filter((a) => ms(a.payload.occurredAt) <= ms(t) && ms(a.payload.occurredAt) > ms(t) - W);
  const countOrDeath = (t: string) => {
    const w = inWindow(t);
    return w.length >= R.accidentCountThreshold || w.some((a) => a.payload.deaths > 0);
  };
  const accidentPoints = pastAccidents.flatMap((a) => [a.payload.occurredAt, new Date(ms(a.payload.occurredAt) + W + 1).toISOString()]);
  let accidentStart = episodeStart(accidentPoints, countOrDeath, asOf);
  const windowNow = inWindow(asOf);
  let rateNote = '';
  const section = industrySection(industryCode);
  if (!accidentStart && section && ctx.sectionRates?.[section] && windowNow.length >= R.accidentRateMinAccidents) {
    const s = ctx.sectionRates[section];
    const mean = s.insuredWorkers > 0 ? s.accidents / s.insuredWorkers : 0;
    const insured = timeline.enrolledOn(today);
    // Empirical-Bayes shrinkage toward the section mean: a tiny firm needs a real pattern.
    const k = R.accidentRatePriorWorkers;
    const smoothed = (windowNow.length + k * mean) / (insured + k);
    if (mean > 0 && smoothed >= R.accidentRateMultiple * mean) {
      const sorted = [...windowNow].sort((a, b) => ms(a.payload.occurredAt) - ms(b.payload.occurredAt));
      accidentStart = sorted[R.accidentRateMinAccidents - 1].payload.occurredAt;
      rateNote = `按参保人数计算的事故率（经行业均值平滑）为每百人 ${fmt(Math.round(smoothed * 10000) / 100)} 起，达到本行业门类平均水平（每百人 ${fmt(Math.round(mean * 10000) / 100)} 起）的 ${fmt(Math.round((smoothed / mean) * 10) / 10)} 倍。`;
    }
  }
  let accidentHit: RuleHit | null = null;
  if (accidentStart) {
    const w = windowNow;
    const deaths = w.reduce((s, a) => s + (a.payload.deaths ?? 0), 0);
    const serious = w.reduce((s, a) => s + (a.payload.seriousInjuries ?? 0), 0);
    accidentHit = make(
      'ACCIDENT_PRONE',
      accidentStart,
      w,
      {
        severity: deaths > 0 ? 'CRITICAL' : 'HIGH',
        score: Math.min(95, 60 + 5 * Math.max(0, w.length - 2) + (deaths > 0 ? 20 : 0)),
        explanation:
          `近 ${R.accidentWindowDays} 日内该单位发生生产安全事故 ${w.length} 起，造成死亡 ${deaths} 人、重伤 ${serious} 人；最近一起发生于${cnDate(latest(w))}。` +
          rateNote +
          '列为重点监控对象，建议应急管理部门开展执法检查并督促落实安全生产主体责任。',
        routedTo: ['emergency'],
      },
      {
        kind: 'MONITOR',
        departments: ['emergency'],
        deadlineDays: R.recommendationDeadlineDays,
        text: '依据《中华人民共和国安全生产法》，请对事故多发原因开展排查，落实整改措施并报送整改情况。',
      },
    );
    hits.push(accidentHit);
  }

  // ── UNINSURED: workers in evidence but nobody enrolled on the event date, or an injury
  //    recorded as uninsured; ends when enrollment is restored.
  const EV = R.evidenceWindowDays * DAY;
  const evidenceEvents = [
    ...pastAccidents.map((f) => ({ f, date: localDay(f.payload.occurredAt) })),
    ...injuries.map((f) => ({ f, date: f.payload.injuryDate as string })),
    ...diseases.map((f) => ({ f, date: f.payload.diagnosedAt as string })),
  ].filter((x) => x.date <= today);
  const uninsuredInjuries = injuries.filter((f) => f.payload.insuredAtInjury === false && f.payload.injuryDate <= today);
  const uninsuredAt = (t: string): Fact[] => {
    const d = localDay(t);
    const recent = (date: string) => ms(date) <= ms(t) && ms(date) > ms(t) - EV;
    const out: Fact[] = [];
    if (timeline.enrolledOn(d) === 0) {
      for (const x of evidenceEvents) if (recent(x.date) && timeline.enrolledOn(x.date) === 0) out.push(x.f);
      if (timeline.hadEnrollmentBy(d)) out.push(...enrollmentFacts.filter((f) => f.payload.effectiveDate <= d && f.payload.action === 'TERMINATE'));
    }
    for (const f of uninsuredInjuries) if (recent(f.payload.injuryDate) && !timeline.isPersonEnrolledOn(f.payload.personId, d)) out.push(f);
    return out;
  };
  const uninsuredPoints = [
    ...evidenceEvents.flatMap((x) => [x.date, addDays(x.date, R.evidenceWindowDays)]),
    ...timeline.changeDays(),
  ];
  const uninsuredStart = episodeStart(uninsuredPoints, (t) => uninsuredAt(t).length > 0, today);
  let insuranceHit: RuleHit | null = null;
  if (uninsuredStart) {
    const facts = uninsuredAt(today);
    const nInj = facts.filter((f) => f.eventType === 'injury').length;
    const nAcc = facts.filter((f) => f.eventType === 'accident').length;
    const nDis = facts.filter((f) => f.eventType === 'disease').length;
    const enrolledNow = timeline.enrolledOn(today);
    insuranceHit = make(
      'UNINSURED',
      uninsuredStart,
      facts,
      {
        severity: 'HIGH',
        score: 60 + (nInj > 0 ? 10 : 0),
        explanation:
          `该单位有用工证据（事故 ${nAcc} 起、工伤认定 ${nInj} 件、职业病诊断 ${nDis} 例${timeline.hadEnrollmentBy(today) ? '、参保记录' : ''}），` +
          (enrolledNow === 0 ? `但截至${cnDate(today)}工伤保险参保人数为 0` : `但有 ${nInj} 名受伤职工在受伤时未参保`) +
          '，属未依法参加工伤保险。建议人社部门督促参保扩面。',
        routedTo: ['hrss'],
      },
      {
        kind: 'EXPAND_COVERAGE',
        departments: ['hrss'],
        deadlineDays: R.recommendationDeadlineDays,
        text: '依据《工伤保险条例》第二条，请为全部职工依法参加工伤保险并缴纳工伤保险费。',
      },
    );
    hits.push(insuranceHit);
  }

  // ── UNDER_INSURED: key industries below the coverage threshold of headcount.
  if (keyIndustry && employerRecords.length) {
    const coverageBelow = (t: string) => {
      const d = localDay(t);
      const h = headcountOn(d);
      return !!h && h.headcount > 0 && timeline.enrolledOn(d) < R.coverageThreshold * h.headcount;
    };
    const points = [...employerRecords.map((r) => r.payload.asOf as string), ...timeline.changeDays()];
    const start = episodeStart(points, coverageBelow, today);
    if (start) {
      const h = headcountOn(today)!;
      const enrolled = timeline.enrolledOn(today);
      const coverage = enrolled / h.headcount;
      const dustNote = dustIndustry ? `其中接尘岗位参保 ${timeline.dustExposedEnrolledOn(today)} 人；` : '';
      // The 20 latest enrollment records as evidence, in a fixed order whatever the arrival order.
      const enrollmentEvidence = enrollmentFacts
        .filter((f) => f.payload.effectiveDate <= today)
        .sort((a, b) => (a.payload.effectiveDate === b.payload.effectiveDate ? (a.eventId < b.eventId ? -1 : 1) : a.payload.effectiveDate < b.payload.effectiveDate ? -1 : 1));
      const underHit = make(
        'UNDER_INSURED',
        start,
        [h.fact, ...enrollmentEvidence.slice(-20)],
        {
          severity: coverage < 0.5 ? 'HIGH' : 'MEDIUM',
          score: Math.round((40 + 40 * (R.coverageThreshold - coverage)) * 10) / 10,
          explanation:
            `该单位属${dustIndustry ? '粉尘危害' : '重点'}行业（${industryCode}），职工 ${h.headcount} 人，截至${cnDate(today)}工伤保险参保 ${enrolled} 人，` +
            `参保率 ${fmt(Math.round(coverage * 1000) / 10)}%，低于 ${fmt(R.coverageThreshold * 100)}% 的要求；${dustNote}建议人社部门督促参保扩面。`,
          routedTo: ['hrss'],
        },
        {
          kind: 'EXPAND_COVERAGE',
          departments: ['hrss'],
          deadlineDays: R.recommendationDeadlineDays,
          text: '依据《工伤保险条例》，请为未参保职工办理工伤保险参保手续，参保率达到规定要求。',
        },
      );
      hits.push(underHit);
      insuranceHit ??= underHit; // UNINSURED, when both hold, is the stronger reason
    }
  }

  // ── PRIORITY: dangerous and uninsured at once.
  const danger = [hazardHit, accidentHit].filter((h): h is RuleHit => !!h);
  if (danger.length && insuranceHit) {
    const dangerStart = danger.map((d) => d.openedAt).sort((a, b) => ms(a) - ms(b))[0];
    const openedAt = ms(dangerStart) >= ms(insuranceHit.openedAt) ? dangerStart : insuranceHit.openedAt;
    const facts = e.facts.filter((f) => [...danger, insuranceHit!].some((h) => h.evidence.some((x) => x.eventId === f.eventId && x.eventType === f.eventType)));
    const dangerDept: Department[] = [...new Set(danger.flatMap((d) => d.routedTo))];
    hits.push(
      make(
        'PRIORITY',
        openedAt,
        facts,
        {
          severity: 'CRITICAL',
          score: 100 + Math.max(...danger.map((d) => d.score), insuranceHit.score) / 10,
          explanation:
            `该单位同时存在${danger.map((d) => (d.rule === 'HAZARD_EXCEEDED' ? '职业病危害因素超标' : '事故多发')).join('和')}` +
            `与${insuranceHit.rule === 'UNINSURED' ? '未依法参保' : '参保不足'}问题，职工一旦受到伤害将得不到工伤保险保障，列为重点单位，建议人社与${dangerDept.map((d) => (d === 'health' ? '卫生健康' : '应急管理')).join('、')}部门联合督办。`,
          routedTo: ['hrss', ...dangerDept],
        },
        {
          kind: 'JOINT',
          departments: ['hrss', ...dangerDept],
          deadlineDays: R.recommendationDeadlineDays,
          text: '请同步落实危害治理与工伤保险参保，联合复查。',
        },
      ),
    );
  }

  // ── PROJECT_UNINSURED: a project with no insurance certificate in any of its records;
  //    escalates when an accident happens on it.
  const projectsById = new Map<string, Fact[]>();
  for (const p of projects) projectsById.set(p.payload.projectId, [...(projectsById.get(p.payload.projectId) ?? []), p]);
  const uncertified = [...projectsById.entries()].filter(([, recs]) => !recs.some((r) => r.payload.insuranceCertificate));
  if (uncertified.length) {
    const ids = uncertified.map(([id]) => id);
    const onProject = pastAccidents.filter((a) => a.payload.projectId && ids.includes(a.payload.projectId));
    const facts = [...uncertified.flatMap(([, r]) => r), ...onProject];
    const openedAt = uncertified.map(([, r]) => r[0].eventTime).sort((a, b) => ms(a) - ms(b))[0];
    const depts = [...new Set(uncertified.flatMap(([, r]) => r.map((x) => x.department)))].filter((d) => d === 'housing' || d === 'transport') as Department[];
    hits.push(
      make(
        'PROJECT_UNINSURED',
        openedAt,
        facts,
        {
          severity: onProject.length ? 'HIGH' : 'MEDIUM',
          score: onProject.length ? 60 : 35,
          explanation:
            `该单位承建的 ${uncertified.length} 个工程项目（${uncertified.map(([, r]) => r[0].payload.projectName).join('、')}）未提交项目参保缴费证明` +
            (onProject.length ? `，且项目上已发生事故 ${onProject.length} 起，升级督办。` : '。') +
            '建议行业主管部门督促按项目参加工伤保险。',
          routedTo: depts.length ? depts : ['housing'],
        },
        {
          kind: 'SUPERVISE',
          departments: depts.length ? depts : ['housing'],
          deadlineDays: R.recommendationDeadlineDays,
          text: '依据《工伤保险条例》及建筑业按项目参保的规定，请在期限内提交项目参保缴费证明。',
        },
      ),
    );
  }

  // ── EARLY_PNEUMOCONIOSIS: category 1 with exposure shorter than the threshold.
  const early = diseases.filter((d) => d.payload.category === 1 && d.payload.exposureYears < R.earlyPneumoconiosisYears && d.payload.diagnosedAt <= today);
  const earlyAt = (t: string) => early.filter((d) => ms(d.payload.diagnosedAt) <= ms(t) && ms(d.payload.diagnosedAt) > ms(t) - EV);
  const earlyStart = episodeStart(early.flatMap((d) => [d.payload.diagnosedAt, addDays(d.payload.diagnosedAt, R.evidenceWindowDays)]), (t) => earlyAt(t).length > 0, today);
  if (earlyStart) {
    const facts = earlyAt(today);
    const minYears = Math.min(...facts.map((f) => f.payload.exposureYears));
    hits.push(
      make('EARLY_PNEUMOCONIOSIS', earlyStart, facts, {
        severity: 'HIGH',
        score: 55 + 5 * Math.max(0, facts.length - 1),
        explanation: `该单位近一年有 ${facts.length} 例职业性尘肺病诊断的接尘工龄不足 ${R.earlyPneumoconiosisYears} 年（最短 ${fmt(minYears)} 年），提示粉尘危害严重、防护措施失效，建议卫生健康部门开展专项检查。`,
        routedTo: ['health'],
      }),
    );
  }

  // ── TYPICAL_ACCIDENT (this employer's part): a death, or 较大 grade or above.
  const typical = pastAccidents.filter((a) => {
    const p = a.payload;
    return ms(p.occurredAt) > ms(asOf) - W && (p.deaths >= 1 || p.seriousInjuries >= 10 || p.directLossYuan >= 10_000_000);
  });
  if (typical.length) {
    const first = [...typical].sort((a, b) => ms(a.payload.occurredAt) - ms(b.payload.occurredAt))[0];
    const deaths = typical.reduce((s, a) => s + a.payload.deaths, 0);
    hits.push(
      make('TYPICAL_ACCIDENT', first.payload.occurredAt, typical, {
        severity: 'CRITICAL',
        score: deaths > 0 ? 90 : 70,
        explanation: `该单位${cnDate(first.payload.occurredAt)}起发生 ${typical.length} 起${deaths > 0 ? `造成 ${deaths} 人死亡的` : '较大及以上'}生产安全事故，符合典型事故通报条件，已生成通报稿。`,
        routedTo: ['emergency', 'union'],
      }),
    );
  }

  // ── OVERDUE: a recommendation past its deadline without a PASSED re-check, or a new
  //    exceeding measurement of the same factor sampled after the deadline.
  const overdue: { hit: RuleHit; why: string; facts: Fact[] }[] = [];
  for (const h of hits) {
    const r = h.recommendation;
    if (!r?.deadline || r.deadline >= today) continue;
    if (passedFor(r.recommendationId).some((p) => p.payload.verifiedAt <= r.deadline!)) continue;
    const failed = rectifications.filter((x) => x.payload.recommendationId === r.recommendationId);
    const later =
      h.rule === 'HAZARD_EXCEEDED'
        ? hazards.filter((x) => exceeds(x) && x.payload.sampledAt > r.deadline! && h.evidence.some((ev) => hazards.find((y) => y.eventId === ev.eventId)?.payload.factor === x.payload.factor))
        : [];
    overdue.push({
      hit: h,
      facts: [...e.facts.filter((f) => h.evidence.some((x) => x.eventId === f.eventId && x.eventType === f.eventType)), ...failed, ...later],
      why: later.length ? `期限后（${cnDate(later[0].payload.sampledAt)}）同一危害因素再次检测超标` : failed.length ? '复查不合格' : '逾期未报送整改情况',
    });
  }
  if (overdue.length) {
    const openedAt = overdue.map((o) => addDays(o.hit.recommendation!.deadline!, 1)).sort()[0];
    const depts = [...new Set(overdue.flatMap((o) => o.hit.recommendation!.departments))];
    hits.push(
      make(
        'OVERDUE',
        openedAt,
        overdue.flatMap((o) => o.facts),
        {
          severity: 'HIGH',
          score: 75 + 5 * (overdue.length - 1),
          explanation:
            overdue.map((o) => `整改建议 ${o.hit.recommendation!.recommendationId}（期限 ${cnDate(o.hit.recommendation!.deadline!)}）${o.why}`).join('；') +
            '。属未及时整改，建议执法部门依法严肃处理。',
          routedTo: depts,
        },
        { kind: 'ESCALATE', departments: depts, deadlineDays: null, text: '逾期未整改，请依法严肃处理。' },
      ),
    );
  }
  return hits;
}
