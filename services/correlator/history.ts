import crypto from 'node:crypto';
import { Department } from '../shared/contract';
import { RuleId } from '../shared/catalog';
import { RegionConfig } from '../shared/regionConfig';
import { cnDate, daysBetween, startOfDay } from '../shared/time';
import { EmployerFacts, Fact, reportedLate, sortFacts, windowOf } from './facts';
import { RecState, RecommendationBook } from './recommendations';
import { EmployerView, Finding, SectionRates, evaluateRules } from './rules';
import { overdue } from './rules/overdue';

/**
 * An employer's history as the hub would have lived it: day by day, on each day the facts it
 * had received by then, the rules judged in event time, alerts opened, changed and closed, and
 * recommendations issued, added to, re-checked and closed. A pure function of the facts (each
 * carries the day the hub first received it), so any arrival order, redelivery or replay gives
 * the same history; and a fact received today changes nothing the hub decided before today.
 */
export interface AlertRecord {
  alertId: string;
  rule: RuleId;
  status: 'OPEN' | 'CLOSED';
  /** Day the hub raised it (known time). */
  raisedOn: string;
  /** Event time the condition became true (ISO instant). */
  openedAt: string;
  closedAt: string | null;
  closeReason: 'CONDITION_ENDED' | 'RECTIFIED' | null;
  finding: Finding;
}

export type FeedIssueKind = 'LATE_REPORT' | 'RECHECK_NOT_ADDRESSEE' | 'RECHECK_UNKNOWN_RECOMMENDATION';

/** What a department should know about the quality of its feed (listed where it sees them). */
export interface FeedIssue {
  kind: FeedIssueKind;
  department: string;
  eventType: string;
  eventId: string;
  reason: string;
}

export interface History {
  alerts: AlertRecord[];
  recommendations: RecState[];
  feedIssues: FeedIssue[];
  /**
   * The next day on which time alone changes something (a window closes, a deadline passes),
   * or null: until then, with no new fact, the history stays as it is (the sweep skips it).
   */
  nextChange: string | null;
}

export interface HistoryContext {
  region: RegionConfig;
  sectionRates: SectionRates;
  /** The last day to live (today, Shanghai). */
  asOfDay: string;
  /** Document numbers already given to recommendations → their ids. */
  idOfNumber?: (ref: string) => string | null;
  /** Accidents reported under other employers on this employer's projects. */
  projectAccidents?: Fact[];
}

export function alertIdFor(employerKey: string, rule: RuleId, raisedOn: string): string {
  return 'ALT-' + crypto.createHash('sha256').update(`${employerKey}|${rule}|${raisedOn}`).digest('hex').slice(0, 20);
}

const instant = (since: string): string => (since.length <= 10 ? startOfDay(since) : new Date(since).toISOString());

/** Windows after which a report is late (迟报), by type. */
function lateWindow(f: Fact, region: RegionConfig): number | null {
  if (f.eventType === 'accident') return region.rules.accidentWindowDays;
  if (f.eventType === 'injury' || f.eventType === 'disease') return region.rules.evidenceWindowDays;
  return null;
}

/** A late report raises alerts only where a person was killed or fell ill early; others are listed. */
function lateRaises(f: Fact, region: RegionConfig): boolean {
  if (f.eventType === 'accident') return Number(f.payload.deaths) > 0;
  return f.eventType === 'disease' && Number(f.payload.category) === 1 && Number(f.payload.exposureYears) < region.rules.earlyPneumoconiosisYears;
}

export function simulate(emp: EmployerFacts, ctx: HistoryContext): History {
  const { region, asOfDay } = ctx;
  const facts = sortFacts(emp.facts);
  const ruleCtx = { region, sectionRates: ctx.sectionRates };
  const deadlineDays = (d: Department) => (d === 'health' ? region.rules.hazardDeadlineDays : region.rules.recommendationDeadlineDays);
  const book = new RecommendationBook(emp.employerKey, deadlineDays, ctx.idOfNumber ?? (() => null));
  const feedIssues: FeedIssue[] = [];
  const events = {
    issue: (kind: FeedIssueKind, f: Fact, reason: string) => feedIssues.push({ kind, department: f.department, eventType: f.eventType, eventId: f.eventId, reason }),
  };

  // Days on which something can change: a fact arrives, a window closes, a deadline passes, today.
  const days = new Set<string>([asOfDay]);
  const later = new Set<string>();
  const consider = (d: string) => (d <= asOfDay ? days.add(d) : later.add(d));
  for (const f of facts) {
    if (f.knownDay <= asOfDay) days.add(f.knownDay);
    if (f.eventType === 'accident' || f.eventType === 'injury' || f.eventType === 'disease' || f.eventType === 'enrollment') {
      for (const w of [region.rules.accidentWindowDays, region.rules.evidenceWindowDays]) consider(windowOf(f, w, lateRaises(f, region)).until);
    }
  }
  const rechecks = facts.filter((f) => f.eventType === 'rectification').sort((a, b) =>
    a.knownDay === b.knownDay ? (a.payload.verifiedAt === b.payload.verifiedAt ? (a.eventId < b.eventId ? -1 : 1) : a.payload.verifiedAt < b.payload.verifiedAt ? -1 : 1) : a.knownDay < b.knownDay ? -1 : 1,
  );

  const alerts: AlertRecord[] = [];
  const open = new Map<RuleId, AlertRecord>();
  const done = new Set<string>();
  for (;;) {
    const t = [...days].filter((d) => !done.has(d)).sort()[0];
    if (!t) break;
    done.add(t);
    let cutoffsBefore = { ...book.cutoffs };
    book.applyRechecks(rechecks, t, events, false);
    // A re-check may name a letter issued this very day (issued, then re-checked on site that
    // afternoon): once the day's letters are issued it is taken up and the day evaluated again,
    // so the letter is rectified and its alert closed that day. Only then is a re-check that
    // still names nothing reported (on the last day, when nothing more can be issued for it).
    for (;;) {
      const view = new EmployerView(emp, facts, t, book.cutoffs, ruleCtx, ctx.projectAccidents ?? []);
      const findings = evaluateRules(view);
      const prio = findings.find((f) => f.rule === 'PRIORITY');
      book.update(
        findings.flatMap((f) => f.problems),
        t,
        prio ? prio.routedTo : null,
        (rule) => open.get(rule as RuleId)?.alertId ?? (findings.some((f) => f.rule === rule) ? alertIdFor(emp.employerKey, rule as RuleId, t) : null),
      );
      for (const d of book.overdueDays()) consider(d);
      const late = overdue(view, book.recs);
      if (late) findings.push(late);

      const now = new Map(findings.map((f) => [f.rule, f]));
      for (const [rule, a] of open) {
        if (now.has(rule)) continue;
        a.status = 'CLOSED';
        a.closedAt = startOfDay(t);
        // Closed by a re-check of one of its departments today, or by the condition going away.
        a.closeReason = a.finding.routedTo.some((d) => book.cutoffs[d] !== cutoffsBefore[d]) ? 'RECTIFIED' : 'CONDITION_ENDED';
        open.delete(rule);
      }
      for (const f of findings) {
        const a = open.get(f.rule);
        if (a) {
          a.finding = f;
          // Late evidence can move the start of the condition earlier; the alert stays the same.
          if (instant(f.since) < a.openedAt) a.openedAt = instant(f.since);
          continue;
        }
        const rec: AlertRecord = {
          alertId: alertIdFor(emp.employerKey, f.rule, t),
          rule: f.rule,
          status: 'OPEN',
          raisedOn: t,
          openedAt: instant(f.since),
          closedAt: null,
          closeReason: null,
          finding: f,
        };
        alerts.push(rec);
        open.set(f.rule, rec);
      }
      cutoffsBefore = { ...book.cutoffs };
      if (book.applyRechecks(rechecks, t, events, false) === 0) break;
    }
    if (t === asOfDay) book.applyRechecks(rechecks, t, events, true);
  }

  for (const f of facts) {
    const w = lateWindow(f, region);
    if (w === null || !reportedLate(f, w) || f.knownDay > asOfDay) continue;
    const delay = daysBetween(f.day, f.knownDay);
    events.issue(
      'LATE_REPORT',
      f,
      `迟报：${cnDate(f.day)}发生，${cnDate(f.knownDay)}报送，晚 ${delay} 日，超过 ${w} 日的规则时间窗` +
        (lateRaises(f, region) ? '；仍按迟报计入预警' : '；未计入事故多发、未依法参保等时间窗内的判断'),
    );
  }
  const pending = new Set([...later, ...book.overdueDays().filter((d) => d > asOfDay)]);
  return { alerts, recommendations: book.recs, feedIssues, nextChange: [...pending].sort()[0] ?? null };
}
