import { Knex } from 'knex';
import { InputEvent } from './batch';

/**
 * Pseudonym key rotation (假名密钥轮换), the correlator's side. While the gateway holds both keys,
 * an event names the person under the new key (`personId`) and the retiring one
 * (`personIdPrevious`). The pair is recorded, the person's stored facts move to the new
 * pseudonym, and any event still carrying an old pseudonym is mapped on arrival — so an
 * enrollment made before the rotation and an injury reported after it are still one person.
 * Returns the events as they are to be stored (copies where a pseudonym changed) and the raw
 * employer keys whose facts were rewritten (to be re-evaluated).
 */
export async function linkPersons(trx: Knex.Transaction, events: InputEvent[]): Promise<{ events: InputEvent[]; changedKeys: Set<string> }> {
  const changedKeys = new Set<string>();
  const pairs = new Map<string, string>();
  for (const e of events) {
    const previous = e.value.personIdPrevious;
    if (typeof previous === 'string' && previous && previous !== e.value.personId) pairs.set(previous, e.value.personId);
  }
  if (pairs.size) {
    const previous = [...pairs.keys()].sort();
    const current = previous.map((p) => pairs.get(p)!);
    await trx.raw(
      `insert into person_link (previous_id, current_id)
       select * from unnest(?::text[], ?::text[])
       on conflict (previous_id) do update set current_id = excluded.current_id, linked_at = now()`,
      [previous, current],
    );
    // A second rotation: what pointed at the now-retired pseudonym points at the newest.
    await trx.raw(
      `update person_link p set current_id = l.cur from unnest(?::text[], ?::text[]) as l(prev, cur) where p.current_id = l.prev`,
      [previous, current],
    );
    const { rows } = await trx.raw(
      `update fact f set payload = jsonb_set(f.payload, '{personId}', to_jsonb(l.cur))
         from unnest(?::text[], ?::text[]) as l(prev, cur)
        where f.payload->>'personId' = l.prev
       returning f.raw_key`,
      [previous, current],
    );
    for (const r of rows as { raw_key: string }[]) changedKeys.add(r.raw_key);
  }
  // Events still under an old pseudonym (published before the rotation, taken again now).
  const carried = [...new Set(events.map((e) => e.value.personId).filter((p): p is string => typeof p === 'string'))];
  const toCurrent = new Map<string, string>();
  if (carried.length) {
    const { rows } = await trx.raw(`select previous_id, current_id from person_link where previous_id = any(?::text[])`, [carried]);
    for (const r of rows as { previous_id: string; current_id: string }[]) toCurrent.set(r.previous_id, r.current_id);
  }
  // Changed events are copies, the caller's stay as they came: a transaction that PostgreSQL
  // aborts (a lock cycle) is run again from the same events. The old pseudonym has done its
  // job; it is not kept with the fact.
  const linked = events.map((e) => {
    const current = toCurrent.get(e.value.personId);
    if (current === undefined && !('personIdPrevious' in e.value)) return e;
    const value = { ...e.value };
    delete value.personIdPrevious;
    if (current !== undefined) value.personId = current;
    return { ...e, value };
  });
  return { events: linked, changedKeys };
}
