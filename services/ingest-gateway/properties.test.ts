import fc from 'fast-check';
import iconv from 'iconv-lite';
import { EVENT_TYPES, EventType } from '../shared/contract';
import { citizenIdProblem, pseudonymize } from '../shared/identifiers';
import { CITIZEN_ID_PATTERN, scrubIdNumbers, scrubPersonIds } from '../shared/privacy';
import { regionCodeTable } from '../shared/divisions';
import { loadRegionConfig } from '../shared/regionConfig';
import { byteBounded } from '../shared/kafka';
import { validateRecord } from './validate';
import { cellValue, detectEncoding } from './sources';
import { readNumber, readText, shiftDecimal } from './values';
import { firstInvalidUtf8, jsonDepth } from './jsonBody';
import { DEAD_LETTER_MAX_CHARS, deadLetterPayload } from './deadLetter';
import { jsonRecord } from './test-fixtures';
import { nastyValue } from '../../test/fixtures/fuzzInputs';

/**
 * Properties of the gateway's pure parts, many generated cases each (WHP_FUZZ_RUNS raises them):
 * validation never throws and never lets a citizen ID through in clear, pseudonyms behave as
 * keyed hashes, cells and units decode as a person would read them, and the byte-level guards
 * agree with a plain reading of the input. Expectations are computed here, not by the code.
 */
const runs = Number(process.env.WHP_FUZZ_RUNS ?? 500);
const seed = Number(process.env.WHP_FUZZ_SEED ?? 20261124);
const opts = { numRuns: runs, seed };
const KEY = 'property-test-key-of-at-least-32-bytes!!';
const CJK = /[\u4e00-\u9fff]/;
const regions = regionCodeTable(loadRegionConfig({ WHP_REGION: 'suqian' }));
const NOW = new Date('2026-11-24T02:00:00Z');

// GB 11643 written out again here, so that the expectation does not come from identifiers.ts.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkOf = (body: string) => '10X98765432'[[...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0) % 11];
const citizenId = fc
  .tuple(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date('1930-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
  .map(([region, birth, seq]) => {
    const body = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
    return body + checkOf(body);
  });
const toFullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('citizen IDs and pseudonyms', () => {
  test('an ID with its GB 11643 check character is valid; any other check character is not', () => {
    fc.assert(
      fc.property(citizenId, fc.constantFrom(...'0123456789X'), (id, other) => {
        expect(citizenIdProblem(id, NOW)).toBeNull();
        if (other !== id[17]) expect(citizenIdProblem(id.slice(0, 17) + other, NOW)).toMatch(/校验位错误/);
      }),
      opts,
    );
  });

  test('a pseudonym is the same for the same ID (x or X), different for different IDs, and shows none of its digits', () => {
    fc.assert(
      fc.property(citizenId, citizenId, (a, b) => {
        const p = pseudonymize(a, KEY);
        expect(p).toMatch(/^psn_[A-Za-z0-9_-]{32}$/);
        expect(pseudonymize(a.toLowerCase(), KEY)).toBe(p);
        expect(pseudonymize(a, `${KEY}-rotated`)).not.toBe(p);
        if (a !== b) expect(pseudonymize(b, KEY)).not.toBe(p);
        expect(p).not.toContain(a.slice(6, 14)); // the birth date
      }),
      opts,
    );
  });

  test('scrubbing free text leaves no ID in clear, in half- or full-width digits, and keeps the text around it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), citizenId, fc.string({ maxLength: 20 }), fc.boolean(), (before, id, after, wide) => {
        const text = `${before} ${wide ? toFullWidth(id) : id} ${after}`;
        const out = scrubIdNumbers(text, KEY);
        expect(out).not.toContain(id);
        expect(out).not.toContain(toFullWidth(id));
        expect(out).toContain(pseudonymize(id, KEY));
        expect(out.startsWith(`${before} `)).toBe(true);
        expect(out.endsWith(` ${after}`)).toBe(true);
      }),
      opts,
    );
  });

  test('a dead-letter payload of any shape carries no ID in clear, wherever it was typed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), nastyValue, { maxKeys: 6 }), citizenId, fc.string({ maxLength: 6 }), (payload, id, where) => {
        const out = JSON.stringify(scrubPersonIds({ ...payload, [where || '身份证号']: `身份证 ${id}`, nested: [{ note: id }] }, KEY, new Set(['身份证号'])));
        expect(out).not.toContain(id);
      }),
      opts,
    );
  });
});

describe('validation of any record', () => {
  const type = fc.constantFrom<EventType>(...EVENT_TYPES);

  test('never throws; a refusal names fields with Chinese reasons; what passes carries no citizen ID in clear', () => {
    fc.assert(
      fc.property(type, fc.anything(), (t, input) => {
        const v = validateRecord(t, input, { department: 'hrss', source: 'API', now: NOW, pseudonymKey: KEY, regions });
        if (!v.ok) for (const p of v.problems) expect(p.reason).toMatch(CJK);
      }),
      opts,
    );
    fc.assert(
      fc.property(type, fc.dictionary(fc.constantFrom(...Object.keys(jsonRecord('accident', 'x')), 'personId', 'summary', 'note', 'post'), nastyValue), citizenId, (t, fields, id) => {
        const record = { ...jsonRecord(t, 'prop-1'), ...fields, summary: `伤者 ${id} 于车间受伤`, note: id };
        const v = validateRecord(t, record, { department: 'hrss', source: 'FILE', now: NOW, pseudonymKey: KEY, regions });
        if (v.ok) {
          expect(JSON.stringify(v.value).match(CITIZEN_ID_PATTERN)).toBeNull();
          if ('personId' in v.value) expect(v.value.personId).toMatch(/^psn_/);
        } else {
          for (const p of v.problems) {
            expect(p.reason).toMatch(CJK);
            expect(p.reason).not.toContain(id);
          }
        }
      }),
      opts,
    );
  });

  test('text is kept exactly (trimmed) unless it holds a character no record may carry', () => {
    const forbidden = (s: string) =>
      [...s].some((c) => {
        const n = c.codePointAt(0)!;
        return (n < 0x20 && n !== 9 && n !== 10 && n !== 13) || n === 0xfffe || n === 0xffff || (n >= 0xd800 && n <= 0xdfff);
      });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const r = readText(s);
        if (forbidden(s)) expect(r).toEqual({ ok: false, reason: expect.stringMatching(/控制字符|代理项/) });
        else expect(r).toEqual({ ok: true, value: s.trim() });
      }),
      opts,
    );
  });
});

describe('cells and units', () => {
  test('an exceljs cell value of any kind reads as text, number, boolean, date or nothing; a formula as its cached result', () => {
    const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.boolean(), fc.date({ noInvalidDate: true }));
    fc.assert(
      fc.property(scalar, fc.string(), fc.array(fc.string(), { maxLength: 4 }), (v, formula, runs2) => {
        expect(cellValue(v)).toEqual(v);
        expect(cellValue({ formula, result: v })).toEqual(v);
        expect(cellValue({ sharedFormula: 'A1', result: v })).toEqual(v);
        expect(cellValue({ richText: runs2.map((text) => ({ text })) })).toBe(runs2.join(''));
        expect(cellValue({ error: '#REF!' })).toBeNull();
        expect(cellValue({ formula })).toBeNull(); // a formula without a result is no value, never the formula text
      }),
      opts,
    );
  });

  test('万元 → 元 and ‰/% → fraction are exact on the decimal digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -4, max: 4 }), (digits, decimals, k) => {
        const n = Number(`${digits}e-${decimals}`);
        expect(shiftDecimal(n, k)).toBe(Number(`${digits}e${k - decimals}`));
      }),
      opts,
    );
  });

  test('numbers as staff type them: thousands separators and full-width digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const plain = `${whole}.${String(cents).padStart(2, '0')}`;
        const grouped = whole.toLocaleString('en-US') + plain.slice(String(whole).length);
        const wide = grouped.replace(/[0-9.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        expect(readNumber(grouped)).toEqual({ ok: true, value: Number(plain) });
        expect(readNumber(wide)).toEqual({ ok: true, value: Number(plain) });
      }),
      opts,
    );
  });

  test('CSV encoding: Chinese text is read as UTF-8 when it is, and as GB 18030 when it is that', () => {
    const chinese = fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 12, maxLength: 200 }).map((cs) => String.fromCharCode(...cs));
    fc.assert(
      fc.property(chinese, fc.string({ maxLength: 20 }), (zh, ascii) => {
        const text = `事故编号,单位名称\r\n${ascii.replace(/[^\x20-\x7e]/g, '')},${zh}\r\n`;
        expect(detectEncoding(Buffer.from(text, 'utf8'))).toBe('utf8');
        expect(detectEncoding(iconv.encode(text, 'gb18030'))).toBe('gb18030');
      }),
      opts,
    );
  });
});

describe('byte-level guards', () => {
  test('JSON nesting is measured as JSON.parse builds it, strings and escapes aside', () => {
    const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), (v) => {
        const text = JSON.stringify(v);
        expect(jsonDepth(Buffer.from(text), 1000)).toBe(depthOf(v));
      }),
      opts,
    );
  });

  test('a body with a byte that is not UTF-8 is found; valid UTF-8 of any text is not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.nat(), fc.constantFrom(0xff, 0xfe, 0xc0, 0x80), (s, at, bad) => {
        const chars = [...s.replace(/[\ud800-\udfff]/g, '')];
        expect(firstInvalidUtf8(Buffer.from(chars.join(''), 'utf8'))).toBe(-1);
        const prefix = chars.slice(0, at % (chars.length + 1)).join('');
        const broken = Buffer.concat([Buffer.from(prefix, 'utf8'), Buffer.from([bad, bad]), Buffer.from(chars.join('').slice(prefix.length), 'utf8')]);
        expect(firstInvalidUtf8(broken)).toBeLessThanOrEqual(Buffer.byteLength(prefix) + 1);
        expect(firstInvalidUtf8(broken)).toBeGreaterThanOrEqual(0);
      }),
      opts,
    );
  });

  test('a dead letter is valid JSON of bounded size, and whole when the record is small', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(nastyValue, fc.integer({ min: 1, max: 200_000 }).map((n) => '𠮷'.repeat(n)))), (payload) => {
        const out = deadLetterPayload(payload);
        expect(out.length).toBeLessThanOrEqual(DEAD_LETTER_MAX_CHARS);
        expect(() => JSON.parse(out)).not.toThrow();
        if (JSON.stringify(payload).length <= DEAD_LETTER_MAX_CHARS) expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { ...opts, numRuns: Math.min(runs, 200) },
    );
  });

  test('Kafka sends split in order, each under the byte bound unless one message alone is over it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), fc.integer({ min: 1000, max: 20_000 }), (sizes, limit) => {
        const messages = sizes.map((n, i) => ({ key: String(i), value: Buffer.alloc(n) }));
        const parts = byteBounded(messages, limit);
        expect(parts.flat()).toEqual(messages);
        for (const part of parts) {
          const bytes = part.reduce((s, m) => s + m.value.length + m.key.length + 64, 0);
          if (part.length > 1) expect(bytes).toBeLessThanOrEqual(limit);
        }
      }),
      opts,
    );
  });
});
