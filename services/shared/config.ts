import { ConfigError } from './errors';

/**
 * Configuration from the environment, validated once at start. Every service calls
 * `loadConfig()` and gets a typed, frozen object or a ConfigError naming the variable.
 */
export type Environment = 'dev' | 'production';

export interface HubConfig {
  env: Environment;
  kafkaBrokers: string[];
  kafkaClientId: string;
  registryUrl: string;
  databaseUrl: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Key of the HMAC that turns citizen ID numbers into pseudonyms (≥ 32 bytes). */
  pseudonymKey: string;
  gatewayPort: number;
  portalPort: number;
  /** The correlator's operations endpoints (/healthz, /readyz, /metrics). */
  correlatorPort: number;
  host: string;
  /** Partitions of each input topic; events are keyed by employer. */
  topicPartitions: number;
  /** How long the portal waits for the reporter to build a list or render a document. */
  reportWaitSeconds: number;
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback?: string): string {
  const v = env[name]?.trim();
  if (v) return v;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, '未设置 (is required)');
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `应为 ${min}–${max} 之间的整数，实际为 "${raw}" (must be an integer in ${min}..${max})`);
  }
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `应为 ${allowed.join('|')} 之一，实际为 "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const v = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, `不是有效的 URL: "${v}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `协议应为 ${protocols.join(' 或 ')}，实际为 "${parsed.protocol}"`);
  }
  return v.replace(/\/+$/, '');
}

/** The dev pseudonym key is public; production must bring its own. */
export const DEV_PSEUDONYM_KEY = 'whp-dev-pseudonym-key-not-for-production-use-000';

export function loadConfig(env: Env = process.env): Readonly<HubConfig> {
  const whpEnv = oneOf(env, 'WHP_ENV', ['dev', 'production'] as const, 'dev');
  const brokers = str(env, 'KAFKA_BROKERS', '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of brokers) {
    if (!/^[\w.-]+:\d{1,5}$/.test(b)) throw new ConfigError('KAFKA_BROKERS', `应为 host:port 列表，"${b}" 不符合`);
  }
  const pseudonymKey = whpEnv === 'production' ? str(env, 'WHP_PSEUDONYM_KEY') : str(env, 'WHP_PSEUDONYM_KEY', DEV_PSEUDONYM_KEY);
  if (Buffer.byteLength(pseudonymKey) < 32) {
    throw new ConfigError('WHP_PSEUDONYM_KEY', '长度至少 32 字节 (must be at least 32 bytes)');
  }
  if (whpEnv === 'production' && pseudonymKey === DEV_PSEUDONYM_KEY) {
    throw new ConfigError('WHP_PSEUDONYM_KEY', '生产环境不得使用开发密钥 (the dev key is not allowed in production)');
  }
  return Object.freeze({
    env: whpEnv,
    kafkaBrokers: brokers,
    kafkaClientId: str(env, 'KAFKA_CLIENT_ID', 'whp-hub'),
    registryUrl: url(env, 'SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7', ['http:', 'https:']),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/whp', ['postgres:', 'postgresql:']),
    logLevel: oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
    pseudonymKey,
    gatewayPort: int(env, 'GATEWAY_PORT', 8080, 0, 65535),
    portalPort: int(env, 'PORTAL_PORT', 8090, 0, 65535),
    correlatorPort: int(env, 'CORRELATOR_PORT', 8070, 0, 65535),
    host: str(env, 'WHP_HOST', '127.0.0.1'),
    topicPartitions: int(env, 'WHP_TOPIC_PARTITIONS', 6, 1, 1000),
    reportWaitSeconds: int(env, 'WHP_REPORT_WAIT_SECONDS', 60, 1, 600),
  });
}
