import { citizenIdCheckChar, employerKey, pseudonymize, usccCheckChar } from '../../services/shared/identifiers';
import { DEV_PSEUDONYM_KEY } from '../../services/shared/config';
import { addDays } from '../../services/shared/time';

/**
 * Records for the benchmark: enrollment rows as a department sends them (JSON and file rows),
 * and the values the gateway publishes, over many employers. Deterministic for a run prefix.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function benchUscc(i: number, region = '321302'): string {
  let body = `91${region}`;
  let n = i;
  for (let k = 0; k < 9; k++) {
    body += ALPHABET[n % 31];
    n = Math.floor(n / 31) + 7 * (k + 1);
  }
  return body + usccCheckChar(body);
}

/** A valid GB 11643 number, unique per i (birthdays from 1960, 1000 sequence numbers each). */
export function citizenId(i: number): string {
  const birth = addDays('1960-01-01', Math.floor(i / 1000) % 14_000).replace(/-/g, '');
  const first17 = `321302${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

export interface EnrollmentRow {
  eventId: string;
  regionCode: string;
  uscc: string;
  employerName: string;
  personId: string;
  action: string;
  effectiveDate: string;
  dustExposed: boolean;
}

/** The i-th enrollment of a run, for one of `employers` employers. */
export function enrollmentRow(run: string, i: number, employers: number): EnrollmentRow {
  const e = i % employers;
  return {
    eventId: `${run}-${i}`,
    regionCode: '321302',
    uscc: benchUscc(e),
    employerName: `宿迁基准测试第${e}建材有限公司`,
    personId: citizenId(i),
    action: '参保',
    effectiveDate: addDays('2025-01-01', i % 600),
    dustExposed: i % 3 === 0,
  };
}

/** What the gateway publishes for such a row (for sizes and for filling topics directly). */
export function publishedEnrollment(row: EnrollmentRow, ingestedAt: string) {
  return {
    eventId: row.eventId,
    department: 'hrss',
    regionCode: row.regionCode,
    uscc: row.uscc,
    employerName: row.employerName,
    employerKey: employerKey(row.uscc, row.employerName, row.regionCode),
    source: 'API',
    ingestedAt,
    revision: 1,
    firstIngestedAt: ingestedAt,
    personId: pseudonymize(row.personId, DEV_PSEUDONYM_KEY),
    action: 'ENROLL',
    effectiveDate: row.effectiveDate,
    dustExposed: row.dustExposed,
    projectId: null,
  };
}
