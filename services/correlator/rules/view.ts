import { Department, EventType } from '../../shared/contract';
import { RegionConfig, industrySection, matchesPrefix } from '../../shared/regionConfig';
import { EnrollmentTimeline } from '../enrollment';
import { EmployerFacts, Fact } from '../facts';

/** Accidents and insured workers of one GB/T 4754 section across the region (rates). */
export type SectionRates = Record<string, { accidents: number; insuredWorkers: number }>;

export interface RuleContext {
  region: RegionConfig;
  sectionRates: SectionRates;
}

/** Day up to which each department's re-checks have rectified this employer's problems. */
export type Cutoffs = Partial<Record<Department, string>>;

/**
 * An employer as the hub knew it on day `today`: the facts received by then about things that
 * had happened by then (a project counts from its registration), what the rules read from them,
 * and how far each department has rectified. Rules are pure functions of a view.
 */
export class EmployerView {
  readonly facts: Fact[];
  private readonly byTypeCache = new Map<EventType, Fact[]>();
  private timeline?: EnrollmentTimeline;
  readonly industryCode: string | null;

  constructor(
    readonly employer: Omit<EmployerFacts, 'facts'>,
    known: Fact[],
    readonly today: string,
    readonly cutoffs: Cutoffs,
    readonly ctx: RuleContext,
    /** Accidents reported under other employers on this employer's projects. */
    readonly projectAccidents: Fact[] = [],
  ) {
    this.facts = known.filter((f) => f.knownDay <= today && (f.eventType === 'project' || f.day <= today));
    const records = this.byType('employer');
    this.industryCode = records.length ? records[records.length - 1].payload.industryCode : employer.industryCode;
  }

  get region(): RegionConfig {
    return this.ctx.region;
  }

  /** Facts of a type; employer records by their own date, the rest by event time. */
  byType(type: EventType): Fact[] {
    let list = this.byTypeCache.get(type);
    if (!list) {
      list = this.facts.filter((f) => f.eventType === type);
      if (type === 'employer') list.sort((a, b) => (a.payload.asOf === b.payload.asOf ? (a.eventId < b.eventId ? -1 : 1) : a.payload.asOf < b.payload.asOf ? -1 : 1));
      this.byTypeCache.set(type, list);
    }
    return list;
  }

  get enrollment(): EnrollmentTimeline {
    this.timeline ??= new EnrollmentTimeline(
      this.byType('enrollment').map((f) => ({
        eventId: f.eventId,
        personId: f.payload.personId,
        action: f.payload.action,
        effectiveDate: f.payload.effectiveDate,
        dustExposed: !!f.payload.dustExposed,
      })),
    );
    return this.timeline;
  }

  /** The employer record in force on a day (the latest 统计日期 not after it). */
  headcountOn(day: string): { headcount: number; fact: Fact } | null {
    let found: Fact | null = null;
    for (const r of this.byType('employer')) if (r.payload.asOf <= day) found = r;
    return found ? { headcount: Number(found.payload.headcount), fact: found } : null;
  }

  get section(): string | null {
    return industrySection(this.industryCode);
  }

  get keyIndustry(): boolean {
    return matchesPrefix(this.industryCode, this.region.keyIndustryPrefixes);
  }

  get dustIndustry(): boolean {
    return matchesPrefix(this.industryCode, this.region.dustIndustryPrefixes);
  }

  /** Not covered by a re-check of `department` (evidence dated after its last rectification). */
  unrectified(department: Department, f: Fact): boolean {
    const c = this.cutoffs[department];
    return !c || f.day > c;
  }
}

/**
 * Start of the run, ending at `today`, during which `holds` is true. `holds` must be constant
 * between consecutive change points; null when it does not hold today.
 */
export function episodeStart(changePoints: string[], holds: (day: string) => boolean, today: string): string | null {
  if (!holds(today)) return null;
  const points = [...new Set(changePoints.filter((p) => p <= today))].sort();
  let start: string | null = null;
  for (let i = points.length - 1; i >= 0; i--) {
    if (holds(points[i])) start = points[i];
    else break;
  }
  return start ?? today;
}
