import { citizenIdCheckChar, usccCheckChar } from '../../services/shared/identifiers';
import { Rng } from './prng';

/** Identifier makers: valid GB 32100 USCCs and GB 11643 citizen IDs, plus their deliberate breakage. */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const SPACE5 = 31 ** 5;

function base31(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[n % 31] + s;
    n = Math.floor(n / 31);
  }
  return s;
}

/** GB 11714 组织机构代码 check character of the 8-character body (the USCC's positions 9–16). */
function orgCodeCheck(body8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i];
    sum += (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55) * w[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/**
 * The USCC of employer number `index`: 9 (工商) 1 (企业), the region, an organisation code that is
 * unique per index (a bijective scramble, so codes do not look sequential), and the check character.
 */
export function makeUscc(index: number, regionCode: string, seed: number, rng: Rng): string {
  let body8: string;
  if (rng.chance(0.7)) {
    // Codes issued since 2015 start with MA.
    body8 = 'MA' + ORG_CHARS[rng.int(0, 30)] + base31((index * 7919 + (seed % SPACE5)) % SPACE5, 5);
  } else {
    body8 = String(5 + (index % 3)) + String((index * 7919 + (seed % 1e7)) % 1e7).padStart(7, '0');
  }
  const first17 = '91' + regionCode + body8 + orgCodeCheck(body8);
  return first17 + usccCheckChar(first17);
}

/** The same code with a wrong check character (a typo in a department's report). */
export function breakUscc(uscc: string, rng: Rng): string {
  const right = uscc[17];
  let c = right;
  while (c === right) c = USCC_ALPHABET[rng.int(0, 30)];
  return uscc.slice(0, 17) + c;
}

export function breakCitizenId(id: string, rng: Rng): string {
  const right = id[17];
  const all = '0123456789X';
  let c = right;
  while (c === right) c = all[rng.int(0, 10)];
  return id.slice(0, 17) + c;
}

const DAY = 86400000;
const BIRTH_FIRST = Date.UTC(1965, 0, 1) / DAY;
const BIRTH_DAYS = Date.UTC(2005, 0, 1) / DAY - BIRTH_FIRST;

/**
 * Citizen IDs, unique by construction: per region and birth date a counter gives the 3-digit
 * sequence (顺序码), so no set of issued IDs has to be kept, whatever the city's size.
 */
export class PersonIdIssuer {
  private readonly counters: Uint16Array;

  constructor(private readonly regionCodes: readonly string[]) {
    this.counters = new Uint16Array(regionCodes.length * BIRTH_DAYS);
  }

  /** Returns the ID and the birth day (days since 1970-01-01). */
  issue(regionIdx: number, rng: Rng): { id: string; birthDay: number } {
    let d = rng.int(0, BIRTH_DAYS - 1);
    for (let tries = 0; tries < BIRTH_DAYS; tries++, d = (d + 1) % BIRTH_DAYS) {
      const slot = regionIdx * BIRTH_DAYS + d;
      const seq = this.counters[slot] + 1;
      if (seq > 999) continue;
      this.counters[slot] = seq;
      const birthDay = BIRTH_FIRST + d;
      const first17 = this.regionCodes[regionIdx] + ymd(birthDay) + String(seq).padStart(3, '0');
      return { id: first17 + citizenIdCheckChar(first17), birthDay };
    }
    throw new Error('citizen ID space of the region exhausted');
  }
}

const ymdCache: string[] = [];
function ymd(day: number): string {
  const k = day - BIRTH_FIRST;
  return (ymdCache[k] ??= new Date(day * DAY).toISOString().slice(0, 10).replace(/-/g, ''));
}
