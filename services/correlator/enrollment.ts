/**
 * Who was insured on which date (参保), from an employer's enrollment events in any order.
 * Built once per evaluation; `enrolledOn(day)` is a binary search.
 */
export interface EnrollmentRecord {
  eventId: string;
  personId: string;
  action: 'ENROLL' | 'TERMINATE';
  effectiveDate: string; // YYYY-MM-DD
  dustExposed: boolean;
}

export class EnrollmentTimeline {
  /** Days on which the enrolled count changes, ascending, with the count from that day on. */
  private readonly days: string[] = [];
  private readonly counts: number[] = [];
  private readonly dustCounts: number[] = [];
  private readonly statusByPerson = new Map<string, { day: string; enrolled: boolean }[]>();
  readonly firstEnrollment: string | null;

  constructor(records: EnrollmentRecord[]) {
    // Same-day records of one person: order by eventId so that any arrival order gives one answer.
    const sorted = [...records].sort((a, b) =>
      a.effectiveDate === b.effectiveDate ? (a.eventId < b.eventId ? -1 : 1) : a.effectiveDate < b.effectiveDate ? -1 : 1,
    );
    const current = new Map<string, { enrolled: boolean; dust: boolean }>();
    let count = 0;
    let dust = 0;
    let first: string | null = null;
    for (const r of sorted) {
      const before = current.get(r.personId);
      const enrolled = r.action === 'ENROLL';
      if (before?.enrolled) {
        count--;
        if (before.dust) dust--;
      }
      if (enrolled) {
        count++;
        if (r.dustExposed) dust++;
        first ??= r.effectiveDate;
      }
      current.set(r.personId, { enrolled, dust: r.dustExposed });
      const history = this.statusByPerson.get(r.personId) ?? [];
      history.push({ day: r.effectiveDate, enrolled });
      this.statusByPerson.set(r.personId, history);
      if (this.days[this.days.length - 1] === r.effectiveDate) {
        this.counts[this.counts.length - 1] = count;
        this.dustCounts[this.dustCounts.length - 1] = dust;
      } else {
        this.days.push(r.effectiveDate);
        this.counts.push(count);
        this.dustCounts.push(dust);
      }
    }
    this.firstEnrollment = first;
  }

  private indexOn(day: string): number {
    let lo = 0;
    let hi = this.days.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid] <= day) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  enrolledOn(day: string): number {
    const i = this.indexOn(day);
    return i < 0 ? 0 : this.counts[i];
  }

  dustExposedEnrolledOn(day: string): number {
    const i = this.indexOn(day);
    return i < 0 ? 0 : this.dustCounts[i];
  }

  /** Whether anyone had been enrolled on or before `day` (enrollment history = workers in evidence). */
  hadEnrollmentBy(day: string): boolean {
    return this.firstEnrollment !== null && this.firstEnrollment <= day;
  }

  isPersonEnrolledOn(personId: string, day: string): boolean {
    const history = this.statusByPerson.get(personId);
    if (!history) return false;
    let status = false;
    for (const h of history) {
      if (h.day <= day) status = h.enrolled;
      else break;
    }
    return status;
  }

  changeDays(): string[] {
    return [...this.days];
  }
}
