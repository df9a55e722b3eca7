import crypto from 'node:crypto';
import { Department } from '../shared/contract';
import { ProblemRule, RecommendationStatus, recommendationKindOf } from '../shared/catalog';
import { addDays } from '../shared/time';
import { Fact, factKey } from './facts';
import { Problem } from './rules';

/**
 * The book of recommendations (限期整改建议) of one employer, kept day by day as the hub learns:
 * - one open recommendation per issuing department: further problems it acts on are added to it;
 * - a PRIORITY joint recommendation takes in the open ones of its departments (the earliest
 *   issued keeps its identity; the others are closed as merged into it);
 * - once issued, a recommendation keeps its id and deadline; each problem keeps the deadline it
 *   was given when it was added;
 * - a PASSED re-check by one of its addressees rectifies that department's problems for every
 *   piece of evidence dated up to the re-check, and nothing dated before reopens them;
 * - 人社 sends no re-checks (contract section 1): its insurance problems count as rectified the
 *   day its own enrollment data show them solved.
 * Pure: the same facts in any order give the same book.
 */
export type ItemStatus = 'OPEN' | 'RECTIFIED' | 'ENDED';

export interface RecItem {
  rule: ProblemRule;
  department: Department;
  key: string;
  issuedOn: string;
  deadline: string;
  evidence: Fact[];
  details: string[];
  status: ItemStatus;
  resolvedOn: string | null;
}

export interface Recheck {
  eventId: string;
  department: Department;
  result: 'PASSED' | 'FAILED';
  verifiedAt: string;
  fact: Fact;
}

export interface RecState {
  id: string;
  issuedOn: string;
  deadline: string;
  departments: Department[];
  joint: boolean;
  items: RecItem[];
  rechecks: Recheck[];
  status: RecommendationStatus;
  closedOn: string | null;
  mergedInto: string | null;
  /** The alert the first problem came from, when it was issued. */
  alertId: string | null;
}

/** Order in which departments are named (the first is the issuing organ of a joint letter). */
const DEPARTMENT_ORDER: Department[] = ['health', 'emergency', 'hrss', 'housing', 'transport', 'market', 'union'];
const byDepartment = (a: Department, b: Department) => DEPARTMENT_ORDER.indexOf(a) - DEPARTMENT_ORDER.indexOf(b);

export function recommendationIdFor(employerKey: string, department: Department, issuedOn: string, n = 0): string {
  return 'REC-' + crypto.createHash('sha256').update(`${employerKey}|${department}|${issuedOn}|${n}`).digest('hex').slice(0, 20);
}

export const isOpen = (r: RecState): boolean => r.status === 'OPEN' || r.status === 'OVERDUE';

export interface BookEvents {
  /** Feed problems found while applying re-checks (not an addressee, unknown recommendation). */
  issue(kind: 'RECHECK_NOT_ADDRESSEE' | 'RECHECK_UNKNOWN_RECOMMENDATION', fact: Fact, reason: string): void;
}

export class RecommendationBook {
  readonly recs: RecState[] = [];
  readonly cutoffs: Partial<Record<Department, string>> = {};
  private readonly applied = new Set<string>();

  constructor(
    private readonly employerKey: string,
    private readonly deadlineDays: (d: Department) => number,
    /** A document number (宿工预建〔2026〕3号) → the recommendation it was given to. */
    private readonly idOfNumber: (ref: string) => string | null,
  ) {}

  private advanceCutoff(d: Department, day: string): void {
    const c = this.cutoffs[d];
    if (!c || c < day) this.cutoffs[d] = day;
  }

  openFor(d: Department): RecState | undefined {
    return this.recs.find((r) => isOpen(r) && r.departments.includes(d));
  }

  find(ref: string): RecState | undefined {
    const id = this.recs.some((r) => r.id === ref) ? ref : this.idOfNumber(ref);
    let rec = id ? this.recs.find((r) => r.id === id) : undefined;
    while (rec?.mergedInto) rec = this.recs.find((r) => r.id === rec!.mergedInto);
    return rec;
  }

  /**
   * Re-checks (复查) known by `today`. One that names no recommendation yet issued waits (it
   * may name one issued later the same day: the caller applies them again after the day's
   * recommendations are issued); `final` reports it as unknown. Returns how many were taken up.
   */
  applyRechecks(rechecks: Fact[], today: string, events: BookEvents, final: boolean): number {
    let taken = 0;
    for (const f of rechecks) {
      const k = factKey(f);
      if (this.applied.has(k) || f.payload.verifiedAt > today) continue;
      const ref = String(f.payload.recommendationId ?? '').trim();
      const rec = this.find(ref);
      if (!rec) {
        if (final) {
          this.applied.add(k);
          events.issue('RECHECK_UNKNOWN_RECOMMENDATION', f, `复查记录所填建议书编号“${ref}”未找到对应的整改建议，未予采用`);
        }
        continue;
      }
      this.applied.add(k);
      taken++;
      const dept = f.department as Department;
      if (!rec.departments.includes(dept)) {
        events.issue('RECHECK_NOT_ADDRESSEE', f, `该整改建议的主送部门为 ${rec.departments.join('、')}，${dept} 报送的复查结果不予采用`);
        continue;
      }
      const verifiedAt = String(f.payload.verifiedAt);
      rec.rechecks.push({ eventId: f.eventId, department: dept, result: f.payload.result, verifiedAt, fact: f });
      if (f.payload.result !== 'PASSED') continue;
      for (const item of rec.items) {
        if (item.department === dept && item.status === 'OPEN' && item.issuedOn <= verifiedAt) {
          item.status = 'RECTIFIED';
          item.resolvedOn = verifiedAt;
        }
      }
      this.advanceCutoff(dept, verifiedAt);
    }
    return taken;
  }

  /**
   * The problems the rules see today: open items whose problem is gone are resolved (人社's by
   * its own data: rectified; the others: ended), still-present ones gather new evidence, new
   * ones join the department's open recommendation or start one. With `joint` (the departments
   * of a PRIORITY), their open recommendations become one.
   */
  update(problems: Problem[], today: string, joint: Department[] | null, alertIdFor: (rule: string) => string | null): void {
    const present = new Map(problems.map((p) => [`${p.rule}|${p.key}`, p]));
    for (const rec of this.recs.filter(isOpen)) {
      for (const item of rec.items) {
        if (item.status !== 'OPEN') continue;
        const p = present.get(`${item.rule}|${item.key}`);
        if (!p || p.department !== item.department) {
          item.status = item.department === 'hrss' ? 'RECTIFIED' : 'ENDED';
          item.resolvedOn = today;
          if (item.department === 'hrss') this.advanceCutoff('hrss', today);
          continue;
        }
        const known = new Set(item.evidence.map(factKey));
        item.evidence.push(...p.evidence.filter((f) => !known.has(factKey(f))));
        item.details = p.details;
        present.delete(`${item.rule}|${item.key}`);
      }
    }
    if (joint) this.join(joint, today);
    const fresh = [...present.values()].sort((a, b) => byDepartment(a.department, b.department) || (a.rule + a.key < b.rule + b.key ? -1 : 1));
    for (const p of fresh) {
      let rec = this.openFor(p.department);
      if (!rec && joint?.includes(p.department)) rec = joint.map((d) => this.openFor(d)).find((r) => !!r);
      if (!rec) {
        let n = 0;
        while (this.recs.some((r) => r.id === recommendationIdFor(this.employerKey, p.department, today, n))) n++;
        rec = {
          id: recommendationIdFor(this.employerKey, p.department, today, n),
          issuedOn: today,
          deadline: addDays(today, this.deadlineDays(p.department)),
          departments: [],
          joint: false,
          items: [],
          rechecks: [],
          status: 'OPEN',
          closedOn: null,
          mergedInto: null,
          alertId: alertIdFor(p.rule),
        };
        this.recs.push(rec);
      }
      rec.items.push({
        rule: p.rule,
        department: p.department,
        key: p.key,
        issuedOn: today,
        // Added to a letter already issued: the problem gets its own deadline, the letter keeps its.
        deadline: rec.issuedOn === today ? rec.deadline : addDays(today, this.deadlineDays(p.department)),
        evidence: [...p.evidence],
        details: p.details,
        status: 'OPEN',
        resolvedOn: null,
      });
      if (!rec.departments.includes(p.department)) rec.departments = [...rec.departments, p.department].sort(byDepartment);
      if (joint?.includes(p.department) && rec.departments.length > 1) rec.joint = true;
    }
    this.refreshStatus(today);
  }

  /** The open recommendations of a PRIORITY's departments become one: the earliest issued. */
  private join(departments: Department[], today: string): void {
    const open = [...new Set(departments.map((d) => this.openFor(d)).filter((r): r is RecState => !!r))].sort((a, b) =>
      a.issuedOn === b.issuedOn ? (a.id < b.id ? -1 : 1) : a.issuedOn < b.issuedOn ? -1 : 1,
    );
    if (open.length < 2) return;
    const [keep, ...others] = open;
    for (const o of others) {
      keep.items.push(...o.items.filter((i) => i.status === 'OPEN'));
      o.items = o.items.filter((i) => i.status !== 'OPEN');
      keep.rechecks.push(...o.rechecks);
      keep.departments = [...new Set([...keep.departments, ...o.departments])].sort(byDepartment);
      o.status = 'MERGED';
      o.closedOn = today;
      o.mergedInto = keep.id;
    }
    keep.joint = true;
  }

  /** Closed when every problem is resolved; overdue while a problem is past its deadline. */
  refreshStatus(today: string): void {
    for (const rec of this.recs) {
      if (!isOpen(rec)) continue;
      const open = rec.items.filter((i) => i.status === 'OPEN');
      if (!open.length) {
        rec.status = rec.items.some((i) => i.status === 'RECTIFIED') ? 'RECTIFIED' : 'WITHDRAWN';
        rec.closedOn = rec.items.reduce((m, i) => (i.resolvedOn && i.resolvedOn > m ? i.resolvedOn : m), rec.issuedOn);
      } else rec.status = open.some((i) => i.deadline < today) ? 'OVERDUE' : 'OPEN';
    }
  }

  /** Days on which something becomes overdue: the day after each open problem's deadline. */
  overdueDays(): string[] {
    return this.recs.flatMap((r) => r.items.filter((i) => i.status === 'OPEN').map((i) => addDays(i.deadline, 1)));
  }

  kindOf(rec: RecState): ReturnType<typeof recommendationKindOf> {
    return recommendationKindOf(rec.departments);
  }
}
