import { Knex } from 'knex';

/**
 * 发文字号: documents are numbered per kind (建 for 建议书, 通 for 通报) and year, in the order
 * they are issued, once: a number given is never given again nor changed. The counter row is
 * locked for the transaction, so two correlator instances cannot hand out the same number.
 */
export type NumberedKind = 'RECOMMENDATION' | 'NOTICE';
const INFIX: Record<NumberedKind, string> = { RECOMMENDATION: '建', NOTICE: '通' };

/** The next `count` numbers of a kind and year: 宿工预建〔2026〕13号, 14号 … */
export async function takeDocumentNumbers(trx: Knex.Transaction, prefix: string, kind: NumberedKind, year: number, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const { rows } = await trx.raw(
    `insert into document_counter (kind, year, last_seq) values (?, ?, ?)
     on conflict (kind, year) do update set last_seq = document_counter.last_seq + excluded.last_seq
     returning last_seq`,
    [kind, year, count],
  );
  const last = Number(rows[0].last_seq);
  return Array.from({ length: count }, (_, i) => `${prefix}${INFIX[kind]}〔${year}〕${last - count + i + 1}号`);
}

/** 宿工预建[2026]3号, 宿工预建（2026）3号, spaces: the same number as 宿工预建〔2026〕3号. */
export function normalizeDocumentNumber(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[(（【〔]/g, '〔')
    .replace(/[\])）】〕]/g, '〕');
}
