import { Knex } from 'knex';

/**
 * The audit log (审计日志): who published what, who read which risk list, employer profile or
 * document. Append-only: the database refuses UPDATE, DELETE and TRUNCATE; each entry carries the
 * SHA-256 of the one before, so an entry edited or removed by someone who got round the trigger
 * (a superuser) breaks the chain and `whp audit verify` names it. See services/shared/audit.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary(); // 1, 2, 3 … without gaps: a removed entry leaves one
    t.timestamp('at', { useTz: true }).notNullable();
    t.string('actor', 32).notNullable(); // department code, or 'operator'
    t.string('action', 32).notNullable();
    t.string('object', 256).notNullable();
    t.text('body').notNullable(); // the entry as hashed (JSON); the columns above repeat it for queries
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['actor', 'at']);
    t.index(['action', 'at']);
  });
  await knex.raw(`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '审计日志只能追加，不能修改或删除 (audit_log is append-only)' using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists audit_log');
  await knex.raw('drop function if exists audit_log_append_only()');
}
