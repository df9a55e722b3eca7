import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from './config';
import { createDb } from './db';
import { createKafka, kafkaSecurityOptions } from './kafka';
import { createRegistry, pingRegistry, registerContract, registerSchema } from './registry';
import { readSchema } from './avro';
import { makeTestPki } from '../../test/tls';

/**
 * TLS and SASL settings reach the real clients: the local stack is plaintext, so a client told to
 * use TLS or SASL against it must fail the way a client speaking TLS/SASL fails (and succeed
 * without them); TLS itself is proven against throw-away TLS endpoints with a test CA, the
 * registry's basic auth through an https proxy in front of the real registry.
 */
const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
let pki: ReturnType<typeof makeTestPki>;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());

describe('PostgreSQL', () => {
  test('DATABASE_SSL=require makes the client ask for TLS: the plaintext local server refuses, without it the same server answers', async () => {
    const url = base.databaseUrl.split('?')[0];
    const plain = createDb(loadConfig({ DATABASE_URL: url }), 1);
    try {
      expect((await plain.raw('select 1 as one')).rows[0].one).toBe(1);
    } finally {
      await plain.destroy();
    }
    for (const env of [{ DATABASE_URL: url, DATABASE_SSL: 'require' }, { DATABASE_URL: `${url}?sslmode=verify-full` }]) {
      const secured = createDb(loadConfig(env), 1);
      try {
        await expect(secured.raw('select 1')).rejects.toThrow(/does not support SSL/);
      } finally {
        await secured.destroy();
      }
    }
  });
});

describe('Kafka', () => {
  test('SASL: the client performs the SASL handshake, which the local plaintext broker refuses; without SASL it connects', async () => {
    const plain = createKafka(loadConfig({ KAFKA_BROKERS: base.kafkaBrokers.join(',') })).admin();
    await plain.connect();
    try {
      expect(Array.isArray(await plain.listTopics())).toBe(true);
    } finally {
      await plain.disconnect();
    }
    const sasl = createKafka(
      loadConfig({ KAFKA_BROKERS: base.kafkaBrokers.join(','), KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'whp', KAFKA_SASL_PASSWORD: 'pw' }),
    ).admin();
    try {
      await expect(sasl.connect()).rejects.toThrow(/SASL/);
    } finally {
      await sasl.disconnect().catch(() => {});
    }
  });

  /** A TLS endpoint that asks for a client certificate and notes who completed the handshake. */
  async function tlsBroker() {
    const seen: { authorized: boolean; clientCn?: string }[] = [];
    const server = tls.createServer(
      { cert: fs.readFileSync(pki.certFile), key: fs.readFileSync(pki.keyFile), ca: fs.readFileSync(pki.caFile), requestCert: true, rejectUnauthorized: false },
      (socket) => {
        seen.push({ authorized: socket.authorized, clientCn: String(socket.getPeerCertificate()?.subject?.CN) });
        socket.destroy();
      },
    );
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { seen, broker: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
  }

  async function connectOnce(env: Record<string, string>): Promise<void> {
    const config = loadConfig(env);
    const kafka = new Kafka({ brokers: config.kafkaBrokers, ...kafkaSecurityOptions(config), retry: { retries: 0 }, connectionTimeout: 3000, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch {
      // The endpoint speaks TLS but not Kafka: what matters is the handshake it saw.
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  test('TLS with the CA and a client certificate: the broker sees a verified client; with another CA the client refuses the broker', async () => {
    const b = await tlsBroker();
    try {
      await connectOnce({ KAFKA_BROKERS: b.broker, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pki.caFile, KAFKA_SSL_CERT_FILE: pki.certFile, KAFKA_SSL_KEY_FILE: pki.keyFile });
      expect(b.seen).toEqual([{ authorized: true, clientCn: 'localhost' }]);
      await connectOnce({ KAFKA_BROKERS: b.broker, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pki.otherCaFile });
      expect(b.seen).toHaveLength(1); // the second client never completed a handshake
    } finally {
      await b.close();
    }
  });
});

describe('schema registry over https with basic auth', () => {
  let proxy: https.Server;
  let url: string;
  beforeAll(async () => {
    const upstream = new URL(base.registryUrl);
    const expected = `Basic ${Buffer.from('whp:correct horse').toString('base64')}`;
    proxy = https.createServer({ cert: fs.readFileSync(pki.certFile), key: fs.readFileSync(pki.keyFile) }, (req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' }).end('{"error_code":401,"message":"Unauthorized"}');
        return;
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host, authorization: '' } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
  });
  afterAll(() => new Promise((r) => proxy.close(r)));

  const configFor = (password: string, ca = true) =>
    loadConfig({
      SCHEMA_REGISTRY_URL: url,
      SCHEMA_REGISTRY_USERNAME: 'whp',
      SCHEMA_REGISTRY_PASSWORD: password,
      ...(ca ? { SCHEMA_REGISTRY_CA_FILE: pki.caFile } : {}),
    });

  test('with the credentials and the CA the contract registers through it (same ids as directly) and readiness passes', async () => {
    const direct = await registerContract(createRegistry(base));
    const config = configFor('correct horse');
    await expect(pingRegistry(config)).resolves.toBeUndefined();
    expect(await registerContract(createRegistry(config))).toEqual(direct);
  });

  test('a wrong password: readiness names the refused credentials and registering fails as DEPENDENCY_UNAVAILABLE', async () => {
    const config = configFor('wrong');
    await expect(pingRegistry(config)).rejects.toThrow(/refused the credentials \(401\)/);
    await expect(registerSchema(createRegistry(config, 3000), 'whp.employer.v1-value', readSchema('employer'))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  test('without the CA the registry certificate is not trusted', async () => {
    await expect(pingRegistry(configFor('correct horse', false))).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
