import { DEPARTMENTS, EVENT_TYPES, EVENT_TYPE_LABELS, EventType, PUBLISHERS } from '../shared/contract';
import { readSchema } from '../shared/avro';
import { JsonSchema, avroToJsonSchema } from '../shared/avroJsonSchema';
import {
  BEARER_SCHEME,
  ERROR_SCHEMA,
  OPENAPI_VERSION,
  OpenApiDocument,
  UNAUTHORIZED,
  errorResponse,
  healthPaths,
  readinessSchema,
} from '../shared/openapi';
import { FieldSpec, fieldsOf } from './fields';

/**
 * The ingest gateway's HTTP contract (CONTRACT.md section 3) as OpenAPI 3.1, served at
 * /openapi.json. A record's schema is its topic's Avro schema (types and Chinese docs) without
 * the fields the gateway fills in, overlaid with what the gateway's field table says a sender
 * must give (required fields, the spellings an enum accepts, bounds): one source each, no copy.
 */

/** Filled in by the gateway, never taken from the sender. */
export const GATEWAY_FIELDS = ['department', 'employerKey', 'source', 'ingestedAt', 'revision', 'firstIngestedAt', 'personIdPrevious'];

const PERSON_ID: JsonSchema = {
  type: 'string',
  pattern: '^[0-9]{17}[0-9Xx]$',
  description: '公民身份号码（GB 11643，18 位，校验位须正确）。网关在写入任何地方之前将其替换为带密钥的假名（psn_…），不以明文存储或发布',
};

/** The field table's rules laid over the Avro-derived property. */
function overlay(prop: JsonSchema, spec: FieldSpec): JsonSchema {
  const nullable = Array.isArray(prop.anyOf);
  let base: JsonSchema = nullable ? { ...(prop.anyOf as JsonSchema[])[0] } : { ...prop };
  const description = prop.description as string | undefined;
  delete base.description;
  if (spec.kind === 'personId') base = { ...PERSON_ID };
  if (spec.symbols) base = { type: 'string', enum: Object.keys(spec.symbols) };
  if (spec.kind === 'accidentCategory') {
    base = { anyOf: [{ type: 'integer', minimum: 1, maximum: 20 }, { type: 'string', description: 'GB6441-1986 类别名称，如“机械伤害”' }] };
  }
  if (spec.kind === 'region') base = { type: 'string', pattern: '^[0-9]{6}$' };
  if (spec.kind === 'uscc') base = { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' };
  if (spec.kind === 'period') base = { type: 'string', pattern: '^[0-9]{4}(-Q[1-4])?$' };
  if (spec.kind === 'int' || spec.kind === 'number' || spec.kind === 'rate') {
    // The field table's bounds are the rule (Avro's int range says nothing to a sender).
    base = { type: spec.kind === 'int' ? 'integer' : 'number' };
    if (spec.min !== undefined) base.minimum = spec.min;
    if (spec.max !== undefined) base.maximum = spec.max;
    if (spec.kind === 'rate') base.exclusiveMinimum = 0;
  }
  if (spec.maxLength !== undefined) base.maxLength = spec.maxLength;
  const words = [description ?? spec.header, `文件表头：${spec.header}`];
  if (spec.display) words.push(`可填：${spec.display.join('、')}`);
  const out: JsonSchema = spec.required || !nullable ? base : { anyOf: [base, { type: 'null' }] };
  return { ...out, description: words.join('。'), ...(spec.default !== undefined ? { default: spec.default } : {}) };
}

/** The JSON record a department sends for `type`. */
export function recordSchema(type: EventType): JsonSchema {
  const avro = avroToJsonSchema(readSchema(type));
  const props = avro.properties as Record<string, JsonSchema>;
  const specs = fieldsOf(type);
  const properties: Record<string, JsonSchema> = {};
  for (const spec of specs) {
    if (!props[spec.name]) throw new Error(`字段 ${type}.${spec.name} 不在 schemas/${type}.avsc 中`);
    properties[spec.name] = overlay(props[spec.name], spec);
  }
  const missing = Object.keys(props).filter((n) => !properties[n] && !GATEWAY_FIELDS.includes(n));
  if (missing.length) throw new Error(`schemas/${type}.avsc 的字段 ${missing.join('、')} 未在网关字段表中`);
  return {
    type: 'object',
    title: `${type}（${EVENT_TYPE_LABELS[type]}）`,
    description: `${avro.description ?? EVENT_TYPE_LABELS[type]}。可报送部门：${PUBLISHERS[type].map((d) => `${DEPARTMENTS[d]}（${d}）`).join('、')}。无统一社会信用代码时单位名称必填`,
    required: specs.filter((s) => s.required).map((s) => s.name),
    properties,
    anyOf: [{ required: ['uscc'] }, { required: ['employerName'] }],
  };
}

const REJECTION_JSON: JsonSchema = {
  type: 'object',
  required: ['index', 'field', 'reason'],
  properties: {
    index: { type: 'integer', minimum: 0, description: '记录在请求数组中的位置（从 0 起）' },
    field: { type: 'string', description: '出错的字段（多个以逗号分隔；整条记录的问题为空串）' },
    reason: { type: 'string', description: '中文拒收原因' },
  },
  additionalProperties: false,
};

const REJECTION_FILE: JsonSchema = {
  type: 'object',
  required: ['row', 'column', 'reason'],
  properties: {
    row: { type: 'integer', minimum: 1, description: '文件中的行号（从 1 起）' },
    column: { type: 'string', description: '出错的列（按文件中的表头）' },
    reason: { type: 'string', description: '中文拒收原因' },
  },
  additionalProperties: false,
};

const counts = {
  accepted: { type: 'integer', minimum: 0, description: '已接收（已持久写入 Kafka，acks=all）' },
  corrected: { type: 'integer', minimum: 0, description: '已接收中的更正（同一 eventId 内容不同，修订号加 1）' },
  duplicates: { type: 'integer', minimum: 0, description: '重复提交（同一部门同一 eventId 内容相同）' },
};

function answerSchema(rejection: string, file: boolean): JsonSchema {
  return {
    type: 'object',
    description: '每条提交的记录或已接收、或为重复、或被拒收并写明原因，不会被静默丢弃',
    required: ['accepted', 'corrected', 'duplicates', 'rejected', ...(file ? ['skipped'] : [])],
    properties: {
      ...counts,
      rejected: { type: 'array', items: { $ref: `#/components/schemas/${rejection}` } },
      ...(file
        ? {
            skipped: {
              type: 'array',
              description: '不是记录的行（合计、总计、小计），已跳过',
              items: { type: 'object', required: ['row', 'reason'], properties: { row: { type: 'integer' }, reason: { type: 'string' } }, additionalProperties: false },
            },
          }
        : {}),
    },
    additionalProperties: false,
  };
}

const TYPE_PARAM = {
  name: 'type',
  in: 'path',
  required: true,
  description: '事件类型（契约第 2 节）',
  schema: { type: 'string', enum: [...EVENT_TYPES] },
};

const COMMON_ERRORS = {
  '401': UNAUTHORIZED,
  '403': errorResponse('本部门无权报送该类型（契约第 1 节）'),
  '404': errorResponse('未知的事件类型'),
  '413': errorResponse('请求过大：JSON 记录数超过上限，或文件超过大小上限'),
  '429': errorResponse('网关同时处理的上传已达上限，请按 Retry-After 稍后重试', true),
  '503': errorResponse('Kafka、模式注册表或数据库暂不可用，本次请求未被处理（在数秒内应答），请按 Retry-After 重试；已接收的记录再次提交会计为重复', true),
};

/** `maxEvents`: the gateway's MAX_EVENTS_PER_REQUEST (passed in, as gateway.ts imports this file). */
export function gatewayOpenApi(maxEvents: number): OpenApiDocument {
  const records = Object.fromEntries(EVENT_TYPES.map((t) => [`Record_${t}`, recordSchema(t)]));
  const recordRefs = EVENT_TYPES.map((t) => ({ $ref: `#/components/schemas/Record_${t}` }));
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'WHP Hub 接入网关 (ingest gateway)',
      version: '1',
      description:
        `工伤预防数据交换枢纽的数据报送接口（契约第 3 节）。各部门以令牌报送本部门拥有的事件类型：JSON 逐条或成批（每次最多 ${maxEvents} 条），或 CSV（UTF-8 / GB 18030）、XLSX 文件（中文表头）。` +
        '记录的字段问题不使整个请求失败：应答 200，并在 rejected 中逐条写明原因（同时写入死信主题 whp.deadletter.v1）。',
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: '本地开发' }],
    security: [{ bearer: [] }],
    tags: [{ name: '报送' }, { name: '运维' }],
    paths: {
      '/v1/events/{type}': {
        post: {
          operationId: 'publishEvents',
          summary: `以 JSON 报送记录（单条对象或数组，最多 ${maxEvents} 条）`,
          tags: ['报送'],
          parameters: [TYPE_PARAM],
          requestBody: {
            required: true,
            description: `与 {type} 对应的记录（见 components.schemas.Record_<type>），单条或数组（最多 ${maxEvents} 条）`,
            content: {
              'application/json': {
                schema: { anyOf: [{ anyOf: recordRefs }, { type: 'array', maxItems: maxEvents, items: { anyOf: recordRefs } }] },
              },
            },
          },
          responses: {
            '200': { description: '处理结果', content: { 'application/json': { schema: { $ref: '#/components/schemas/EventsAnswer' } } } },
            '400': errorResponse('请求体不是有效的 JSON 对象或数组'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/files/{type}': {
        post: {
          operationId: 'publishFile',
          summary: '以文件报送记录（CSV：UTF-8 或 GB 18030；XLSX），中文表头',
          description: '表头见契约第 2 节；每个文件还须有“统一社会信用代码”“单位名称”“行政区划代码”列。文件按流读取，大小上限由网关配置。',
          tags: ['报送'],
          parameters: [TYPE_PARAM],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
            },
          },
          responses: {
            '200': { description: '处理结果（行号、列名按文件）', content: { 'application/json': { schema: { $ref: '#/components/schemas/FileAnswer' } } } },
            '400': errorResponse('空文件、找不到表头、表头单位不被接受等，整个文件不被接收'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus 指标（按部门与类型的接收、更正、重复、拒收数，请求耗时）',
          security: [],
          tags: ['运维'],
          responses: { '200': { description: 'Prometheus 文本格式', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      ...healthPaths(['kafka', 'registry', 'database']),
    },
    components: {
      securitySchemes: { bearer: BEARER_SCHEME },
      schemas: {
        Error: ERROR_SCHEMA,
        Readiness: readinessSchema(['kafka', 'registry', 'database']),
        EventsAnswer: answerSchema('JsonRejection', false),
        FileAnswer: answerSchema('FileRejection', true),
        JsonRejection: REJECTION_JSON,
        FileRejection: REJECTION_FILE,
        ...records,
      },
    },
  };
}
