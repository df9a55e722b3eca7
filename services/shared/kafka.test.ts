import fs from 'node:fs';
import { Admin, logLevel } from 'kafkajs';
import { ensureTopics, kafkaLogLevel, kafkaSecurityOptions } from './kafka';
import { makeTestPki } from '../../test/tls';

describe('kafkajs messages in our logs', () => {
  it('keeps the start-up "coordinator is loading" retry out of the error log', () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', "The coordinator is loading and hence can't process requests for this group")).toBe('debug');
  });

  it('keeps the deliberate bounded-retries notice out of the warnings', () => {
    expect(kafkaLogLevel(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees', '')).toBe('debug');
  });

  it('still reports a real broker error as an error', () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Connection error', 'connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
  });
});

describe('topics in production', () => {
  it('a missing topic is not created with development settings: the service stops naming it and the plan', async () => {
    const created: unknown[] = [];
    const admin = { listTopics: async () => ['whp.employer.v1'], createTopics: async (o: unknown) => created.push(o) } as unknown as Admin;
    await expect(ensureTopics(admin, 6, { create: false })).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: expect.stringMatching(/缺少主题 whp\.enrollment\.v1、.*scripts\/kafka-topics\.ts --apply/),
    });
    expect(created).toEqual([]);
    await ensureTopics(admin, 6);
    expect(created).toHaveLength(1);
  });
});

describe('TLS and SASL options for kafkajs', () => {
  it('reads the CA and the client certificate from their files; SASL as configured; nothing when not configured', () => {
    const pki = makeTestPki();
    try {
      const o = kafkaSecurityOptions({
        kafkaTls: { caFile: pki.caFile, certFile: pki.certFile, keyFile: pki.keyFile },
        kafkaSasl: { mechanism: 'scram-sha-256', username: 'whp', password: 'pw' },
      });
      expect(o.ssl).toEqual({ rejectUnauthorized: true, ca: [fs.readFileSync(pki.caFile, 'utf8')], cert: fs.readFileSync(pki.certFile, 'utf8'), key: fs.readFileSync(pki.keyFile, 'utf8') });
      expect(o.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'whp', password: 'pw' });
      expect(kafkaSecurityOptions({ kafkaTls: {} })).toEqual({ ssl: { rejectUnauthorized: true } });
      expect(kafkaSecurityOptions({})).toEqual({});
    } finally {
      pki.remove();
    }
  });
});
