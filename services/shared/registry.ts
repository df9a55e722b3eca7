import { SchemaRegistry, SchemaType, COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import { TimeoutMiddleware } from 'mappersmith/middleware/timeout';
import { LOGICAL_TYPES, readSchema } from './avro';
import { EVENT_TYPES, OUTPUT_TYPES, TopicType, subjectOf } from './contract';
import { HubError } from './errors';

/**
 * Registry client (Confluent API, served here by Apicurio) with the hub's logical types. Each
 * request is bounded in time: the client has no timeout of its own, and a registry that accepts
 * a connection but never answers would otherwise hang an upload or a service start for ever.
 */
export function createRegistry(url: string, timeoutMs = 15_000): SchemaRegistry {
  return new SchemaRegistry({ host: url, clientId: 'whp-hub', middlewares: [TimeoutMiddleware(timeoutMs)] }, {
    [SchemaType.AVRO]: { logicalTypes: LOGICAL_TYPES },
  } as never);
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
export async function registerContract(registry: SchemaRegistry): Promise<SchemaIds> {
  const ids = {} as SchemaIds;
  for (const type of [...EVENT_TYPES, ...OUTPUT_TYPES]) {
    ids[type] = await registerSchema(registry, subjectOf(type), readSchema(type));
  }
  return ids;
}
