/**
 * The risk list's precision (CONTRACT section 4) as the reporter builds it, the portal serves it
 * and the console shows it: per quarter, the share of inspections that found hazards at listed
 * employers against the 双随机 sample, each with a 95% Wilson interval, and the lift.
 */
export interface Rate {
  inspections: number;
  hazardsFound: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface QuarterPrecision {
  quarter: string;
  listed: Rate;
  random: Rate;
  /** listed rate ÷ random rate; null when the random sample found nothing or was empty. */
  lift: number | null;
  /** The two intervals do not overlap: the difference is unlikely to be chance. */
  clear: boolean;
}

export interface PrecisionReport {
  asOf: string;
  regionName: string;
  quarters: QuarterPrecision[];
}
