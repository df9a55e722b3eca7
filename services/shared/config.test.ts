import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, DEV_PSEUDONYM_KEY } from './config';
import { ConfigError } from './errors';
import { makeTestPki } from '../../test/tls';

test('defaults describe the local stack', () => {
  const c = loadConfig({});
  expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
  expect(c.registryUrl).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
  expect(c.gatewayPort).toBe(8080);
  expect(c.portalPort).toBe(8090);
  expect(c.pseudonymKey).toBe(DEV_PSEUDONYM_KEY);
});

test('a wrong port names the variable', () => {
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
});

test('a malformed broker list names KAFKA_BROKERS', () => {
  expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
});

test('production needs its own pseudonym key', () => {
  expect(() => loadConfig({ WHP_ENV: 'production' })).toThrow(/WHP_PSEUDONYM_KEY/);
  expect(() => loadConfig({ WHP_ENV: 'production', WHP_PSEUDONYM_KEY: DEV_PSEUDONYM_KEY })).toThrow(/WHP_PSEUDONYM_KEY/);
  expect(loadConfig({ WHP_ENV: 'production', WHP_PSEUDONYM_KEY: 'x'.repeat(40), KAFKA_SSL: 'true' }).env).toBe('production');
});

test('the key being retired in a pseudonym rotation must be a real key, not the current one', () => {
  const current = 'k'.repeat(40);
  expect(() => loadConfig({ WHP_PSEUDONYM_KEY: current, WHP_PSEUDONYM_PREVIOUS_KEY: 'short' })).toThrow(/WHP_PSEUDONYM_PREVIOUS_KEY/);
  expect(() => loadConfig({ WHP_PSEUDONYM_KEY: current, WHP_PSEUDONYM_PREVIOUS_KEY: current })).toThrow(/WHP_PSEUDONYM_PREVIOUS_KEY/);
  expect(loadConfig({ WHP_PSEUDONYM_KEY: current, WHP_PSEUDONYM_PREVIOUS_KEY: 'p'.repeat(40) }).pseudonymPreviousKey).toBe('p'.repeat(40));
  expect(loadConfig({ WHP_PSEUDONYM_KEY: current }).pseudonymPreviousKey).toBeUndefined();
});

test('a database URL with the wrong scheme is refused', () => {
  expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL/);
});

describe('TLS and SASL', () => {
  let pki: ReturnType<typeof makeTestPki>;
  let notPem: string;
  beforeAll(() => {
    pki = makeTestPki();
    notPem = path.join(pki.dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
  });
  afterAll(() => pki.remove());

  const prod = { WHP_ENV: 'production', WHP_PSEUDONYM_KEY: 'k'.repeat(40) };
  const variableOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).variable;
    }
    throw new Error('loadConfig accepted the configuration');
  };

  test('the local stack stays plaintext with no credentials (empty variables count as unset)', () => {
    expect(loadConfig({ DATABASE_SSL: '', KAFKA_SSL: '', KAFKA_SASL_MECHANISM: '', SCHEMA_REGISTRY_USERNAME: '' }).databaseTls).toBeUndefined();
    const c = loadConfig({});
    expect(c.kafkaTls).toBeUndefined();
    expect(c.kafkaSasl).toBeUndefined();
    expect(c.databaseTls).toBeUndefined();
    expect(c.registryAuth).toBeUndefined();
  });

  test('Kafka: TLS with a CA and a client certificate, SASL SCRAM', () => {
    const c = loadConfig({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: pki.caFile,
      KAFKA_SSL_CERT_FILE: pki.certFile,
      KAFKA_SSL_KEY_FILE: pki.keyFile,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'whp',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(c.kafkaTls).toEqual({ caFile: pki.caFile, certFile: pki.certFile, keyFile: pki.keyFile });
    expect(c.kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'whp', password: 's3cret' });
  });

  test.each([
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL'],
    [{ KAFKA_SSL_CA_FILE: 'ca.pem' }, 'KAFKA_SSL_CA_FILE'], // missing file
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }, 'KAFKA_SSL_CA_FILE'],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: 'PKI:certFile' }, 'KAFKA_SSL_KEY_FILE'],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: 'PKI:keyFile' }, 'KAFKA_SSL_CERT_FILE'],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: 'NOT_PEM' }, 'KAFKA_SSL_CA_FILE'],
    [{ KAFKA_SSL_CA_FILE: 'PKI:caFile' }, 'KAFKA_SSL_CA_FILE'], // a CA without KAFKA_SSL=true
    [{ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a' }, 'KAFKA_SASL_PASSWORD'],
    [{ KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_USERNAME'], // credentials without a mechanism
  ])('Kafka %j is refused naming %s', (env, variable) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'NOT_PEM' ? notPem : v.startsWith('PKI:') ? pki[v.slice(4) as 'caFile' | 'certFile' | 'keyFile'] : v]),
    );
    expect(variableOf(resolved)).toBe(variable);
  });

  test('production refuses plaintext Kafka without SASL, and PLAIN passwords over plaintext, unless allowed explicitly', () => {
    expect(variableOf(prod)).toBe('KAFKA_SSL');
    expect(() => loadConfig(prod)).toThrow(/KAFKA_ALLOW_PLAINTEXT=true/);
    expect(variableOf({ ...prod, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' })).toBe('KAFKA_SASL_MECHANISM');
    expect(variableOf({ ...prod, KAFKA_ALLOW_PLAINTEXT: 'maybe' })).toBe('KAFKA_ALLOW_PLAINTEXT');
    // What production accepts:
    expect(loadConfig({ ...prod, KAFKA_ALLOW_PLAINTEXT: 'true' }).kafkaTls).toBeUndefined();
    expect(loadConfig({ ...prod, KAFKA_SSL: 'true' }).kafkaTls).toEqual({});
    expect(loadConfig({ ...prod, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }).kafkaSasl?.mechanism).toBe('scram-sha-256');
    expect(loadConfig({ ...prod, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }).kafkaSasl?.mechanism).toBe('plain');
    // dev is unchanged: plaintext, PLAIN over plaintext allowed.
    expect(loadConfig({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }).kafkaSasl?.mechanism).toBe('plain');
  });

  test('PostgreSQL: DATABASE_SSL with a CA file, or sslmode and sslrootcert in DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_FILE: pki.caFile }).databaseTls).toEqual({ mode: 'verify-full', caFile: pki.caFile });
    expect(loadConfig({ DATABASE_SSL: 'require' }).databaseTls).toEqual({ mode: 'require' });
    expect(loadConfig({ DATABASE_SSL: 'disable' }).databaseTls).toBeUndefined();
    const url = `postgres://whp@db.example:5432/whp?sslmode=verify-full&sslrootcert=${encodeURIComponent(pki.caFile)}`;
    expect(loadConfig({ DATABASE_URL: url }).databaseTls).toEqual({ mode: 'verify-full', caFile: pki.caFile });
    expect(loadConfig({ DATABASE_URL: 'postgres://whp@db/whp?sslmode=require' }).databaseTls).toEqual({ mode: 'require' });
  });

  test.each([
    [{ DATABASE_SSL: 'prefer' }, 'DATABASE_SSL'],
    [{ DATABASE_URL: 'postgres://whp@db/whp?sslmode=allow' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://whp@db/whp?sslmode=require', DATABASE_SSL: 'require' }, 'DATABASE_SSL'],
    [{ DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_FILE: '/nonexistent/ca.pem' }, 'DATABASE_SSL_CA_FILE'],
    [{ DATABASE_SSL_CA_FILE: 'PKI:caFile' }, 'DATABASE_SSL_CA_FILE'], // a CA file without TLS
    [{ DATABASE_URL: 'postgres://whp@db/whp?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://whp@db/whp?sslcert=/x.pem' }, 'DATABASE_URL'],
  ])('PostgreSQL %j is refused naming %s', (env, variable) => {
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith('PKI:') ? pki.caFile : v]));
    expect(variableOf(resolved)).toBe(variable);
  });

  test('registry: https with basic auth and a CA; credentials never in the URL; https in production', () => {
    const c = loadConfig({
      SCHEMA_REGISTRY_URL: 'https://registry.example/apis/ccompat/v7',
      SCHEMA_REGISTRY_USERNAME: 'whp',
      SCHEMA_REGISTRY_PASSWORD: 'pw',
      SCHEMA_REGISTRY_CA_FILE: pki.caFile,
    });
    expect(c.registryAuth).toEqual({ username: 'whp', password: 'pw' });
    expect(c.registryCaFile).toBe(pki.caFile);
    expect(variableOf({ SCHEMA_REGISTRY_URL: 'https://whp:pw@registry.example/apis/ccompat/v7' })).toBe('SCHEMA_REGISTRY_URL');
    expect(variableOf({ SCHEMA_REGISTRY_USERNAME: 'whp' })).toBe('SCHEMA_REGISTRY_PASSWORD');
    expect(variableOf({ SCHEMA_REGISTRY_PASSWORD: 'pw' })).toBe('SCHEMA_REGISTRY_USERNAME');
    expect(variableOf({ SCHEMA_REGISTRY_CA_FILE: pki.caFile })).toBe('SCHEMA_REGISTRY_CA_FILE'); // http URL
    const prodTls = { ...prod, KAFKA_SSL: 'true' };
    expect(variableOf({ ...prodTls, SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7', SCHEMA_REGISTRY_USERNAME: 'a', SCHEMA_REGISTRY_PASSWORD: 'b' })).toBe('SCHEMA_REGISTRY_URL');
    expect(loadConfig({ ...prodTls, SCHEMA_REGISTRY_URL: 'https://registry/apis/ccompat/v7', SCHEMA_REGISTRY_USERNAME: 'a', SCHEMA_REGISTRY_PASSWORD: 'b' }).registryAuth?.username).toBe('a');
  });

  test('messages are in Chinese and name the variable', () => {
    expect(() => loadConfig(prod)).toThrow(/^配置错误 \/ invalid configuration: KAFKA_SSL 生产环境不得以明文/);
  });
});

test('the correlator settings are checked at start, naming the variable', () => {
  expect(() => loadConfig({ WHP_SWEEP_CRON: 'every quarter hour' })).toThrow(/WHP_SWEEP_CRON/);
  expect(() => loadConfig({ WHP_CORRELATOR_START: 'beginning' })).toThrow(/WHP_CORRELATOR_START/);
  expect(() => loadConfig({ WHP_KAFKA_SESSION_TIMEOUT_MS: '1000' })).toThrow(/WHP_KAFKA_SESSION_TIMEOUT_MS/);
  expect(loadConfig({ WHP_SWEEP_CRON: '' }).sweepCron).toBe('');
  expect(loadConfig({}).kafkaSessionTimeoutMs).toBe(8000);
});
