import { Knex } from 'knex';
import { OutputType } from '../shared/contract';
import { AvroProducer } from '../shared/kafka';
import { redactPersonalData } from '../shared/privacy';

/**
 * The transactional outbox's relay: rows written with the state are published after commit, in
 * order, and marked. A crash between publishing and marking republishes a row (at least once);
 * consumers de-duplicate by id and version.
 */
export function outboxRelay(db: Knex, producer: AvroProducer): () => Promise<number> {
  let relaying: Promise<number> | null = null;
  return () => {
    relaying ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          const n = await db.transaction(async (trx) => {
            const rows = await trx('outbox').whereNull('published_at').orderBy('id').limit(500).forUpdate().skipLocked();
            if (!rows.length) return 0;
            for (const type of ['alert', 'recommendation', 'notice'] as OutputType[]) {
              const mine = rows.filter((r) => r.topic_type === type);
              // The explanation and the notice body quote stored free text, where the gateway put a
              // pseudonym for each ID number typed into it: what leaves the hub carries neither.
              await producer.send(type, mine.map((r) => ({ key: r.message_key, value: redactPersonalData(r.value) })));
            }
            await trx('outbox').whereIn('id', rows.map((r) => r.id)).update({ published_at: trx.fn.now() });
            return rows.length;
          });
          total += n;
          if (n === 0) break;
        }
      } finally {
        relaying = null;
      }
      return total;
    })();
    return relaying;
  };
}
