import { validate as validateCron } from 'node-cron';
import fs from 'node:fs';
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
  /**
   * During a key rotation only: the key being retired. The gateway then publishes each person's
   * pseudonym under both keys, so that the correlator links the old pseudonyms to the new.
   */
  pseudonymPreviousKey?: string;
  gatewayPort: number;
  portalPort: number;
  /** Where the portal forwards the console's re-checks (复查) to the ingest gateway. */
  gatewayUrl: string;
  /** The correlator's operations endpoints (/healthz, /readyz, /metrics). */
  correlatorPort: number;
  /** The reporter's operations endpoints (/healthz, /readyz, /metrics). */
  reporterPort: number;
  /** The most events one correlator transaction takes (bigger: faster, longer between commits). */
  correlatorTransactionEvents: number;
  correlatorLanes: number;
  /** The correlator's consumer group (WHP_CORRELATOR_GROUP). */
  correlatorGroup: string;
  /** Where a correlator group without stored offsets starts (WHP_CORRELATOR_START). */
  correlatorStart: 'earliest' | 'latest';
  /** node-cron expression of the correlator's sweep; '' = none (WHP_SWEEP_CRON). */
  sweepCron: string;
  /**
   * How long a crashed consumer holds its partitions (WHP_KAFKA_SESSION_TIMEOUT_MS). After a
   * broker restart kafkajs rejoins as a new member and the group waits this long for the old one.
   */
  kafkaSessionTimeoutMs: number;
  /** Uploads the gateway takes at once; one more is answered 429 with Retry-After. */
  gatewayMaxConcurrent: number;
  /** How many times its uploaded size an XLSX may inflate to (beyond a 64 MiB allowance) before it is refused as a zip bomb. */
  gatewayXlsxMaxRatio: number;
  host: string;
  /** Partitions of each input topic; events are keyed by employer. */
  topicPartitions: number;
  /** How long the portal waits for the reporter to build a list or render a document. */
  reportWaitSeconds: number;
  /** TLS to the Kafka brokers (absent: plaintext). File paths are checked readable at start. */
  kafkaTls?: KafkaTls;
  /** SASL authentication to the Kafka brokers (absent: none). */
  kafkaSasl?: KafkaSasl;
  /** TLS to PostgreSQL, from DATABASE_SSL or the sslmode of DATABASE_URL (absent: none). */
  databaseTls?: DatabaseTls;
  /** Basic authentication to the schema registry (absent: none). */
  registryAuth?: { username: string; password: string };
  /** CA bundle (PEM file) that signs the registry's https certificate, beside the system's. */
  registryCaFile?: string;
}

export interface KafkaTls {
  /** PEM file of the CA(s) that sign the brokers' certificates (absent: the system's CAs). */
  caFile?: string;
  /** Client certificate and key (PEM files) for mutual TLS; both or neither. */
  certFile?: string;
  keyFile?: string;
}

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaSasl {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-full'] as const;

export interface DatabaseTls {
  /**
   * As libpq: `require` encrypts but checks the server's certificate only against a CA file when
   * one is given (verify-ca), `verify-full` checks the chain and the host name.
   */
  mode: 'require' | 'verify-full';
  caFile?: string;
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

/** A node-cron expression (five or six fields), or '' for none. */
function cronExpression(env: Env, name: string, fallback: string): string {
  const v = (env[name] ?? fallback).trim();
  if (v === '') return '';
  if (!validateCron(v)) throw new ConfigError(name, `不是有效的 cron 表达式: "${v}"`);
  return v;
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

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(name, `应为 true 或 false，实际为 "${env[name]}"`);
}

/** A PEM file the process can read (CA bundle, certificate or key), checked once at start. */
function pemFile(env: Env, name: string): string | undefined {
  return pemAt(name, env[name]?.trim());
}

function pemAt(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let text: string;
  try {
    if (!fs.statSync(value).isFile()) throw new Error('not a file');
    text = fs.readFileSync(value, 'utf8');
  } catch {
    throw new ConfigError(name, `指向的文件不存在或不可读："${value}" (file not found or not readable)`);
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(name, `指向的文件不是 PEM 格式："${value}" (not a PEM file)`);
  return value;
}

function kafkaSecurity(env: Env, whpEnv: Environment): Pick<HubConfig, 'kafkaTls' | 'kafkaSasl'> {
  const ssl = bool(env, 'KAFKA_SSL', false);
  const files = { caFile: 'KAFKA_SSL_CA_FILE', certFile: 'KAFKA_SSL_CERT_FILE', keyFile: 'KAFKA_SSL_KEY_FILE' } as const;
  const tls: KafkaTls = {};
  for (const [field, name] of Object.entries(files) as [keyof KafkaTls, string][]) {
    const file = pemFile(env, name);
    if (file && !ssl) throw new ConfigError(name, '只能与 KAFKA_SSL=true 一起使用 (requires KAFKA_SSL=true)');
    if (file) tls[field] = file;
  }
  if (tls.certFile && !tls.keyFile) throw new ConfigError('KAFKA_SSL_KEY_FILE', '设置了 KAFKA_SSL_CERT_FILE 时必须同时提供客户端私钥 (required with KAFKA_SSL_CERT_FILE)');
  if (tls.keyFile && !tls.certFile) throw new ConfigError('KAFKA_SSL_CERT_FILE', '设置了 KAFKA_SSL_KEY_FILE 时必须同时提供客户端证书 (required with KAFKA_SSL_KEY_FILE)');

  const mechanismRaw = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  let sasl: KafkaSasl | undefined;
  if (mechanismRaw) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanismRaw)) {
      throw new ConfigError('KAFKA_SASL_MECHANISM', `应为 ${SASL_MECHANISMS.join('|')} 之一，实际为 "${env.KAFKA_SASL_MECHANISM}"`);
    }
    const username = env.KAFKA_SASL_USERNAME?.trim();
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username) throw new ConfigError('KAFKA_SASL_USERNAME', `未设置 (required with KAFKA_SASL_MECHANISM=${mechanismRaw})`);
    if (!password) throw new ConfigError('KAFKA_SASL_PASSWORD', `未设置 (required with KAFKA_SASL_MECHANISM=${mechanismRaw})`);
    sasl = { mechanism: mechanismRaw as SaslMechanism, username, password };
  } else {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) {
      if (env[name]) throw new ConfigError(name, '已设置但缺少 KAFKA_SASL_MECHANISM (plain|scram-sha-256|scram-sha-512)，凭据不会被使用');
    }
  }

  // Production: the feeds are personal data (pseudonymised, but accidents, diseases and
  // enrollment of named employers). A connection that is neither encrypted nor authenticated, or
  // a PLAIN password sent unencrypted, is refused unless the operator says explicitly that the
  // network itself protects it (a service mesh with mTLS, a private link to the cluster).
  if (whpEnv === 'production' && !bool(env, 'KAFKA_ALLOW_PLAINTEXT', false)) {
    if (!ssl && !sasl) {
      throw new ConfigError(
        'KAFKA_SSL',
        '生产环境不得以明文且无认证的方式连接 Kafka：请设置 KAFKA_SSL=true 和/或 KAFKA_SASL_MECHANISM；网络本身已加密（如服务网格 mTLS）时可显式设置 KAFKA_ALLOW_PLAINTEXT=true',
      );
    }
    if (sasl?.mechanism === 'plain' && !ssl) {
      throw new ConfigError(
        'KAFKA_SASL_MECHANISM',
        'plain 机制会在未加密的连接上明文传送密码：生产环境请同时设置 KAFKA_SSL=true 或改用 scram-sha-512（确需如此时设置 KAFKA_ALLOW_PLAINTEXT=true）',
      );
    }
  }
  return { ...(ssl ? { kafkaTls: tls } : {}), ...(sasl ? { kafkaSasl: sasl } : {}) };
}

function databaseSecurity(env: Env, databaseUrl: string): DatabaseTls | undefined {
  const params = new URL(databaseUrl).searchParams;
  for (const p of ['sslcert', 'sslkey', 'ssl']) {
    if (params.has(p)) throw new ConfigError('DATABASE_URL', `不支持参数 ${p}：请用 sslmode=require|verify-full 与 sslrootcert，或 DATABASE_SSL 与 DATABASE_SSL_CA_FILE`);
  }
  const fromUrl = params.get('sslmode') || undefined;
  const fromEnv = env.DATABASE_SSL?.trim() || undefined;
  if (fromUrl && fromEnv) throw new ConfigError('DATABASE_SSL', `与 DATABASE_URL 中的 sslmode=${fromUrl} 重复：只在一处设置 (set one or the other)`);
  const mode = fromEnv ?? fromUrl ?? 'disable';
  const variable = fromEnv ? 'DATABASE_SSL' : 'DATABASE_URL';
  if (!(DATABASE_SSL_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(variable, `的 SSL 模式应为 ${DATABASE_SSL_MODES.join('|')} 之一，实际为 "${mode}"（prefer/allow 会静默退回明文，不予接受）`);
  }
  const urlCa = params.get('sslrootcert') || undefined;
  const envCa = env.DATABASE_SSL_CA_FILE?.trim() || undefined;
  if (urlCa && envCa) throw new ConfigError('DATABASE_SSL_CA_FILE', '与 DATABASE_URL 中的 sslrootcert 重复：只在一处设置');
  const caFile = envCa ? pemFile(env, 'DATABASE_SSL_CA_FILE') : pemAt('DATABASE_URL', urlCa);
  if (mode === 'disable') {
    if (caFile) throw new ConfigError(envCa ? 'DATABASE_SSL_CA_FILE' : 'DATABASE_URL', '只能与 DATABASE_SSL=require|verify-full 一起使用 (a CA file needs TLS)');
    return undefined;
  }
  return { mode: mode as DatabaseTls['mode'], ...(caFile ? { caFile } : {}) };
}

function registrySecurity(env: Env, registryUrl: string, whpEnv: Environment): Pick<HubConfig, 'registryAuth' | 'registryCaFile'> {
  const parsed = new URL(registryUrl);
  if (parsed.username || parsed.password) {
    throw new ConfigError('SCHEMA_REGISTRY_URL', '不得在 URL 中包含用户名或密码：请用 SCHEMA_REGISTRY_USERNAME 与 SCHEMA_REGISTRY_PASSWORD（URL 放在 ConfigMap 中、会出现在日志里）');
  }
  const username = env.SCHEMA_REGISTRY_USERNAME?.trim();
  const password = env.SCHEMA_REGISTRY_PASSWORD;
  if (username && !password) throw new ConfigError('SCHEMA_REGISTRY_PASSWORD', '未设置 (required with SCHEMA_REGISTRY_USERNAME)');
  if (password && !username) throw new ConfigError('SCHEMA_REGISTRY_USERNAME', '未设置 (required with SCHEMA_REGISTRY_PASSWORD)');
  if (username && whpEnv === 'production' && parsed.protocol !== 'https:') {
    throw new ConfigError('SCHEMA_REGISTRY_URL', '生产环境使用基本认证时必须为 https，否则密码以明文传送 (basic auth needs https in production)');
  }
  const caFile = pemFile(env, 'SCHEMA_REGISTRY_CA_FILE');
  if (caFile && parsed.protocol !== 'https:') throw new ConfigError('SCHEMA_REGISTRY_CA_FILE', '只能用于 https 的 SCHEMA_REGISTRY_URL');
  return { ...(username && password ? { registryAuth: { username, password } } : {}), ...(caFile ? { registryCaFile: caFile } : {}) };
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
  const pseudonymPreviousKey = env.WHP_PSEUDONYM_PREVIOUS_KEY?.trim() || undefined;
  if (pseudonymPreviousKey !== undefined && Buffer.byteLength(pseudonymPreviousKey) < 32) {
    throw new ConfigError('WHP_PSEUDONYM_PREVIOUS_KEY', '长度至少 32 字节 (must be at least 32 bytes)');
  }
  if (pseudonymPreviousKey === pseudonymKey) {
    throw new ConfigError('WHP_PSEUDONYM_PREVIOUS_KEY', '不得与 WHP_PSEUDONYM_KEY 相同 (must differ from the current key)');
  }
  const registryUrl = url(env, 'SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7', ['http:', 'https:']);
  const databaseUrl = url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/whp', ['postgres:', 'postgresql:']);
  const databaseTls = databaseSecurity(env, databaseUrl);
  return Object.freeze({
    env: whpEnv,
    kafkaBrokers: brokers,
    kafkaClientId: str(env, 'KAFKA_CLIENT_ID', 'whp-hub'),
    registryUrl,
    databaseUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
    pseudonymKey,
    ...(pseudonymPreviousKey ? { pseudonymPreviousKey } : {}),
    gatewayPort: int(env, 'GATEWAY_PORT', 8080, 0, 65535),
    portalPort: int(env, 'PORTAL_PORT', 8090, 0, 65535),
    gatewayUrl: url(env, 'WHP_GATEWAY_URL', `http://${str(env, 'WHP_HOST', '127.0.0.1')}:${int(env, 'GATEWAY_PORT', 8080, 0, 65535)}`, ['http:', 'https:']),
    correlatorPort: int(env, 'CORRELATOR_PORT', 8070, 0, 65535),
    reporterPort: int(env, 'REPORTER_PORT', 8060, 0, 65535),
    correlatorTransactionEvents: int(env, 'WHP_CORRELATOR_TX_EVENTS', 4000, 100, 20_000),
    correlatorLanes: int(env, 'WHP_CORRELATOR_LANES', 4, 1, 16),
    correlatorGroup: str(env, 'WHP_CORRELATOR_GROUP', 'whp-correlator'),
    correlatorStart: oneOf(env, 'WHP_CORRELATOR_START', ['earliest', 'latest'] as const, 'earliest'),
    sweepCron: cronExpression(env, 'WHP_SWEEP_CRON', '*/15 * * * *'),
    // 6 s is the broker's group.min.session.timeout.ms.
    kafkaSessionTimeoutMs: int(env, 'WHP_KAFKA_SESSION_TIMEOUT_MS', 8000, 6000, 300_000),
    gatewayMaxConcurrent: int(env, 'WHP_GATEWAY_MAX_CONCURRENT', 8, 1, 1000),
    gatewayXlsxMaxRatio: int(env, 'WHP_GATEWAY_XLSX_MAX_RATIO', 100, 10, 100_000),
    host: str(env, 'WHP_HOST', '127.0.0.1'),
    topicPartitions: int(env, 'WHP_TOPIC_PARTITIONS', 6, 1, 1000),
    reportWaitSeconds: int(env, 'WHP_REPORT_WAIT_SECONDS', 60, 1, 600),
    ...kafkaSecurity(env, whpEnv),
    ...(databaseTls ? { databaseTls } : {}),
    ...registrySecurity(env, registryUrl, whpEnv),
  });
}
