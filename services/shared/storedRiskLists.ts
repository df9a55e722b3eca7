import { Knex } from 'knex';
import type { RiskList } from './documents';

/** The `risk_list` table as both sides read it: the reporter writes a week once, the portal serves it. */
export async function storedRiskList(db: Knex, week: string): Promise<RiskList | null> {
  const row = await db('risk_list').where('week', week).first('content');
  return row ? (row.content as RiskList) : null;
}

export async function storedRiskListXlsx(db: Knex, week: string): Promise<Buffer | null> {
  const row = await db('risk_list').where('week', week).first('xlsx');
  return row ? (row.xlsx as Buffer) : null;
}

/** The most recent week stored (ISO week strings sort in time order). */
export async function latestRiskList(db: Knex): Promise<RiskList | null> {
  const row = await db('risk_list').orderBy('week', 'desc').first('content');
  return row ? (row.content as RiskList) : null;
}
