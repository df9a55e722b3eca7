import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { RegionConfig } from '../../services/shared/regionConfig';
import { buildRiskList } from '../../services/reporter/riskList';
import { writeRiskListXlsx } from '../../services/reporter/render/riskListXlsx';
import { Spread, repeat, spread } from './common';
import { loadProvince } from './sweep';

/**
 * The weekly risk list of a synthetic province: ~5% of the employers listed (PRIORITY for 2.5%),
 * with their alerts, letters and facts; the list built from the tables and written as XLSX.
 */
export interface RiskListBenchResult {
  employers: number;
  listed: number;
  seconds: Spread;
  querySeconds: Spread;
  xlsxSeconds: Spread;
}

/** ~5% of the employers with open alerts (PRIORITY for 2.5%), and the letters of their hazard and PRIORITY alerts. */
export async function loadAlertsAndLetters(db: Knex, employers: number): Promise<void> {
  const key = (i: string) => `'91' || lpad((${i})::text, 16, '0')`;
  await db.raw(
    `insert into alert (alert_id, employer_key, rule, status, close_reason, severity, score, explanation, evidence, routed_to, opened_at, updated_at, closed_at, raised_on)
     select 'ALT-' || r.rule || '-' || i, ${key('i')}, r.rule, r.status, r.reason, 'HIGH', r.base + (i % 97) / 4.0,
            '合成预警', '[]'::jsonb, array['hrss'], timestamptz '2026-10-01T00:00:00Z' + (i % 40) * interval '1 day',
            timestamptz '2026-10-01T00:00:00Z', r.closed, date '2026-10-01'
     from generate_series(1, ?) i
     cross join lateral (values
       ('UNDER_INSURED', 'OPEN', null, 40, null::timestamptz, i % 20 = 0),
       ('HAZARD_EXCEEDED', 'OPEN', null, 60, null, i % 40 = 0),
       ('PRIORITY', 'OPEN', null, 80, null, i % 40 = 0),
       ('ACCIDENT_PRONE', 'OPEN', null, 55, null, i % 60 = 0),
       ('UNINSURED', 'CLOSED', 'CONDITION_ENDED', 30, timestamptz '2026-11-01T00:00:00Z', i % 20 = 10)
     ) as r(rule, status, reason, base, closed, applies)
     where r.applies
     on conflict do nothing`,
    [employers],
  );
  await db.raw(
    `insert into recommendation (recommendation_id, alert_id, employer_key, rule, kind, departments, issued_at, deadline, status, text, document_number, joint)
     select 'REC-' || a.alert_id, a.alert_id, a.employer_key, a.rule, case when a.rule = 'PRIORITY' then 'JOINT' else 'RECTIFY' end,
            case when a.rule = 'PRIORITY' then array['health', 'hrss'] else array['health'] end, date '2026-10-15',
            date '2026-11-14' + (length(a.alert_id) % 30), 'OPEN', '合成整改建议', '宿工预建〔2026〕' || row_number() over (order by a.alert_id) || '号', a.rule = 'PRIORITY'
     from alert a where a.rule in ('HAZARD_EXCEEDED', 'PRIORITY') and a.status = 'OPEN'
     on conflict do nothing`,
  );
}

export async function benchRiskList(o: { db: Knex; region: RegionConfig; employers: number; loaded: boolean; repeats: number; log: (s: string) => void }): Promise<RiskListBenchResult> {
  const asOf = new Date('2026-11-22T16:00:00Z'); // end of 2026-W47
  if (!o.loaded) await loadProvince(o.db, o.region, o.employers, asOf, o.log);
  await loadAlertsAndLetters(o.db, o.employers);
  await o.db.raw('analyze');
  const file = path.join(os.tmpdir(), `whp-bench-risklist-${process.pid}.xlsx`);
  let listed = 0;
  const query: number[] = [];
  const xlsx: number[] = [];
  const seconds = await repeat(o.repeats, async () => {
    const t = Date.now();
    const list = await buildRiskList(o.db, o.region, '2026-W47', asOf, asOf);
    const q = Date.now();
    await writeRiskListXlsx(list, file);
    listed = list.rows.length;
    query.push((q - t) / 1000);
    xlsx.push((Date.now() - q) / 1000);
    return (Date.now() - t) / 1000;
  });
  fs.rmSync(file, { force: true });
  return { employers: o.employers, listed, seconds, querySeconds: spread(query), xlsxSeconds: spread(xlsx) };
}
