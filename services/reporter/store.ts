import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { HubError } from '../shared/errors';
import { RiskList, riskListCounts } from '../shared/documents';
import { writeRiskListXlsx } from './render/riskListXlsx';
import { buildRiskList } from './riskList';
import { parseIsoWeek } from '../shared/time';
import { storedRiskList } from '../shared/storedRiskLists';

/**
 * Risk lists are stored once per ISO week. A week that has ended is built as of its end
 * (Sunday 24:00 Shanghai) and then never changes: building it again returns the stored list.
 * The week in progress is built as of the moment of the request and overwrites its last build.
 */
export interface GeneratedRiskList {
  list: RiskList;
  /** false when an ended week was already stored and returned as it was. */
  built: boolean;
}

export async function renderXlsx(list: RiskList): Promise<Buffer> {
  const file = path.join(os.tmpdir(), `whp-risklist-${list.week}-${randomUUID().slice(0, 8)}.xlsx`);
  try {
    await writeRiskListXlsx(list, file);
    return await fs.readFile(file);
  } finally {
    await fs.rm(file, { force: true });
  }
}

export async function generateRiskList(db: Knex, region: RegionConfig, week: string, now: Date): Promise<GeneratedRiskList> {
  const w = parseIsoWeek(week);
  if (now < w.startsAt) {
    throw new HubError('BAD_REQUEST', `${w.week}（${w.start} 至 ${w.end}）尚未开始，不能生成风险清单`, { week: w.week });
  }
  const ended = now >= w.endsAt;
  if (ended) {
    const stored = await storedRiskList(db, w.week);
    if (stored && Date.parse(stored.asOf) >= w.endsAt.getTime()) return { list: stored, built: false };
  }
  const asOf = ended ? w.endsAt : now;
  const list = await buildRiskList(db, region, w.week, asOf, now);
  const xlsx = await renderXlsx(list);
  // Only a later as-of replaces a stored list: an ended week is written once, even by two builders.
  const written = await db.raw(
    `insert into risk_list (week, as_of, generated_at, employer_count, priority_count, content, xlsx)
     values (?, ?, ?, ?, ?, ?::jsonb, ?)
     on conflict (week) do update set as_of = excluded.as_of, generated_at = excluded.generated_at,
       employer_count = excluded.employer_count, priority_count = excluded.priority_count,
       content = excluded.content, xlsx = excluded.xlsx
     where risk_list.as_of < excluded.as_of
     returning week`,
    [w.week, asOf.toISOString(), now.toISOString(), list.rows.length, list.rows.filter((r) => r.priority).length, JSON.stringify(list), xlsx],
  );
  if (written.rows.length) return { list, built: true };
  const stored = await storedRiskList(db, w.week);
  return { list: stored ?? list, built: false };
}

/** The Avro summary published on whp.risklist.v1 (schemas/risklist.avsc). */
export function riskListSummary(list: RiskList) {
  const counts = riskListCounts(list);
  return {
    week: list.week,
    generatedAt: list.generatedAt,
    employerCount: counts.employers,
    priorityCount: counts.priority,
    newCount: counts.new,
    removedCount: counts.removed,
    byDistrict: list.byDistrict.map((d) => ({ key: d.regionCode, count: d.employers })),
    byIndustry: list.byIndustry.map((s) => ({ key: s.section, count: s.employers })),
  };
}
