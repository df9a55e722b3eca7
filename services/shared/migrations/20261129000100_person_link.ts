import { Knex } from 'knex';

/**
 * Pseudonym key rotation (假名密钥轮换): while the gateway holds the new key and the one being
 * retired, each person-bearing event carries both pseudonyms; the correlator records the pair
 * here and rewrites the person's older facts to the new pseudonym, so enrollment histories and
 * injuries still join across the rotation. An event still carrying an old pseudonym (a replay
 * from before the rotation) is mapped through this table when it is stored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('person_link', (t) => {
    t.string('previous_id', 64).primary(); // the pseudonym under the retired key
    t.string('current_id', 64).notNullable(); // under the key in use when the link was learnt
    t.timestamp('linked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['current_id']);
  });
  // The rewrite finds a person's facts by pseudonym across all employers.
  await knex.raw(`create index fact_person on fact ((payload->>'personId')) where (payload->>'personId') is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists fact_person');
  await knex.schema.dropTableIfExists('person_link');
}
