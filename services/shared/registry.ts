import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { SchemaRegistry, SchemaType, COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import { TimeoutMiddleware } from 'mappersmith/middleware/timeout';
import { LOGICAL_TYPES, readSchema } from './avro';
import { EVENT_TYPES, OUTPUT_TYPES, TopicType, subjectOf } from './contract';
import { HubConfig } from './config';
import { HubError } from './errors';

export type RegistryTarget = string | Pick<HubConfig, 'registryUrl' | 'registryAuth' | 'registryCaFile'>;

function target(t: RegistryTarget): Pick<HubConfig, 'registryUrl' | 'registryAuth' | 'registryCaFile'> {
  return typeof t === 'string' ? { registryUrl: t } : t;
}

/** An https agent that trusts the configured CA beside the system's (none: Node's defaults). */
function registryAgent(caFile: string | undefined): https.Agent | undefined {
  if (!caFile) return undefined;
  return new https.Agent({ keepAlive: true, ca: [...tls.rootCertificates, fs.readFileSync(caFile, 'utf8')] });
}

/**
 * Registry client (Confluent API, served here by Apicurio) with the hub's logical types. Each
 * request is bounded in time: the client has no timeout of its own, and a registry that accepts
 * a connection but never answers would otherwise hang an upload or a service start for ever.
 */
export function createRegistry(to: RegistryTarget, timeoutMs = 15_000): SchemaRegistry {
  const { registryUrl, registryAuth, registryCaFile } = target(to);
  const agent = registryAgent(registryCaFile);
  return new SchemaRegistry(
    {
      host: registryUrl,
      clientId: 'whp-hub',
      middlewares: [TimeoutMiddleware(timeoutMs)],
      ...(registryAuth ? { auth: { username: registryAuth.username, password: registryAuth.password } } : {}),
      ...(agent ? { agent } : {}),
    },
    { [SchemaType.AVRO]: { logicalTypes: LOGICAL_TYPES } } as never,
  );
}

/**
 * Readiness: the registry answers GET /subjects with 2xx, with the same credentials and CA as the
 * client. Rejects with a message saying what it answered (401 is named: wrong credentials).
 */
export function pingRegistry(to: RegistryTarget, timeoutMs = 2500): Promise<void> {
  const { registryUrl, registryAuth, registryCaFile } = target(to);
  const url = new URL(`${registryUrl}/subjects`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (registryAuth) headers.authorization = `Basic ${Buffer.from(`${registryAuth.username}:${registryAuth.password}`).toString('base64')}`;
  const lib = url.protocol === 'https:' ? https : http;
  const agent = registryAgent(registryCaFile);
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { headers, timeout: timeoutMs, ...(agent ? { agent } : {}) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else if (status === 401 || status === 403) reject(new Error(`schema registry refused the credentials (${status})`));
      else reject(new Error(`schema registry answered ${status}`));
    });
    req.on('timeout', () => req.destroy(new Error(`schema registry did not answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Registers one schema under its TopicNameStrategy subject with BACKWARD compatibility.
 * An incompatible change is refused by the registry and surfaces as SCHEMA_INCOMPATIBLE.
 */
export async function registerSchema(
  registry: SchemaRegistry,
  subject: string,
  schema: Record<string, unknown>,
): Promise<number> {
  try {
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    return id;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 409) {
      throw new HubError('SCHEMA_INCOMPATIBLE', `模式与已注册版本不兼容 (incompatible with ${subject}): ${(err as Error).message}`, { subject });
    }
    throw new HubError('DEPENDENCY_UNAVAILABLE', `无法注册模式 ${subject}: ${(err as Error).message}`, { subject });
  }
}

export type SchemaIds = Record<TopicType, number>;

/** Registers every contract schema; returns the registry id of each topic's value schema. */
export async function registerContract(registry: SchemaRegistry, patienceMs = 60_000): Promise<SchemaIds> {
  const ids = {} as SchemaIds;
  for (const type of [...EVENT_TYPES, ...OUTPUT_TYPES]) {
    ids[type] = await patiently(() => registerSchema(registry, subjectOf(type), readSchema(type)), patienceMs);
  }
  return ids;
}

/**
 * A service starting while the registry is slow or restarting waits for it (back-off up to 5 s)
 * instead of exiting; an incompatible schema is final and fails at once.
 */
export async function patiently<T>(work: () => Promise<T>, patienceMs: number): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let pause = 500; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof HubError) || err.code !== 'DEPENDENCY_UNAVAILABLE' || Date.now() + pause > deadline) throw err;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
