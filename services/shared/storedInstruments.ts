import { Knex } from 'knex';

/**
 * The instruments' reports as stored by the reporter and served by the portal: 浮动费率建议
 * per cycle, 双随机/回头看 plans per quarter (fixed once drawn), the list's precision and the
 * training coverage as of a day.
 */
export type InstrumentKind = 'RATE_ADJUSTMENT' | 'INSPECTION_PLAN' | 'PRECISION' | 'TRAINING_COVERAGE';

export interface StoredInstrument<T = unknown> {
  content: T;
  xlsx: Buffer | null;
  builtAt: Date;
}

export async function storedInstrument<T>(db: Knex, kind: InstrumentKind, ref: string): Promise<StoredInstrument<T> | null> {
  const row = await db('instrument_report').where({ kind, ref }).first('content', 'xlsx', 'built_at');
  return row ? { content: row.content as T, xlsx: row.xlsx ?? null, builtAt: new Date(row.built_at) } : null;
}

export async function storeInstrument(db: Knex, kind: InstrumentKind, ref: string, content: unknown, xlsx: Buffer | null): Promise<void> {
  await db('instrument_report')
    .insert({ kind, ref, content: JSON.stringify(content), xlsx, built_at: db.fn.now() })
    .onConflict(['kind', 'ref'])
    .merge();
}
