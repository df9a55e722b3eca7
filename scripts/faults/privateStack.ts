import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../bench/common';

const run = promisify(execFile);

/**
 * The fault suite's own stack, beside the everyday one so that its restarts disturb nobody: a
 * PostgreSQL cluster of its own (initdb, in a temporary folder, run as the postgres user), and a
 * Kafka and a schema registry started by scripts/stack.sh as instance "faults" on other ports.
 * Every part is the real one; the suite stops and starts them as an operator would.
 */
export const PORTS = { postgres: 15432, kafka: 19092, kafkaController: 19093, registry: 18081, registryManagement: 19081 } as const;

const PG_BIN = (() => {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length ? path.join(base, versions[0], 'bin') : '';
})();

export class PrivateStack {
  readonly pgDir = path.join(os.tmpdir(), 'whp-faults-pg');
  readonly hubDb = 'whp_faults';

  private stackEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      WHP_STACK_INSTANCE: 'faults',
      WHP_KAFKA_PORT: String(PORTS.kafka),
      WHP_KAFKA_CONTROLLER_PORT: String(PORTS.kafkaController),
      WHP_REGISTRY_PORT: String(PORTS.registry),
      WHP_REGISTRY_MGMT_PORT: String(PORTS.registryManagement),
      PGHOST: '127.0.0.1',
      PGPORT: String(PORTS.postgres),
      WHP_DB_NAME: this.hubDb,
      WHP_REGISTRY_DB: 'whp_faults_registry',
    };
  }

  private async stack(...args: string[]): Promise<void> {
    await run('bash', [path.join(ROOT, 'scripts', 'stack.sh'), ...args], { env: this.stackEnv(), maxBuffer: 16 << 20 });
  }

  private async asPostgres(bin: string, args: string[]): Promise<void> {
    if (!PG_BIN) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (the fault suite runs its own cluster)');
    const cmd = path.join(PG_BIN, bin);
    // initdb and pg_ctl refuse to run as root.
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: os.tmpdir() });
    else await run(cmd, args, { cwd: os.tmpdir() });
  }

  /** A clean start: a new PostgreSQL cluster, Kafka's data and the registry's database wiped. */
  async up(log: (s: string) => void): Promise<void> {
    await this.down().catch(() => {});
    fs.rmSync(this.pgDir, { recursive: true, force: true });
    fs.mkdirSync(this.pgDir, { recursive: true });
    if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', this.pgDir]);
    log(`PostgreSQL: a cluster of its own on 127.0.0.1:${PORTS.postgres} (${this.pgDir})`);
    await this.asPostgres('initdb', ['-D', path.join(this.pgDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-instructions', '-E', 'UTF8', '--locale=C.UTF-8']);
    await this.startPostgres();
    log(`Kafka on 127.0.0.1:${PORTS.kafka} and the schema registry on 127.0.0.1:${PORTS.registry} (stack instance "faults")`);
    await this.stack('reset');
    await this.stack('up');
  }

  async down(): Promise<void> {
    await this.stack('down').catch(() => {});
    if (fs.existsSync(path.join(this.pgDir, 'data', 'postmaster.pid'))) await this.stopPostgres();
  }

  env(database = this.hubDb): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl(database),
      KAFKA_BROKERS: `127.0.0.1:${PORTS.kafka}`,
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${PORTS.registry}/apis/ccompat/v7`,
      WHP_ENV: 'dev',
    };
  }

  databaseUrl(database = this.hubDb): string {
    return `postgres://postgres@127.0.0.1:${PORTS.postgres}/${database}`;
  }

  async createDatabase(name: string): Promise<void> {
    await run('psql', ['-h', '127.0.0.1', '-p', String(PORTS.postgres), '-U', 'postgres', '-d', 'postgres', '-qtA', '-c', `drop database if exists ${name} with (force)`, '-c', `create database ${name}`]);
  }

  stopKafka = () => this.stack('stop', 'kafka');
  stopRegistry = () => this.stack('stop', 'registry');
  /** Starts whatever of Kafka and the registry is not running; returns once they answer. */
  startKafkaAndRegistry = () => this.stack('up');

  async stopPostgres(): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', path.join(this.pgDir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async startPostgres(): Promise<void> {
    const options = `-p ${PORTS.postgres} -k ${this.pgDir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off`;
    await this.asPostgres('pg_ctl', ['-D', path.join(this.pgDir, 'data'), '-l', path.join(this.pgDir, 'postgres.log'), '-o', options, '-w', 'start']);
  }
}
