import type { Express } from 'express';
import type { JsonSchema } from './avroJsonSchema';

/**
 * The pieces both services' OpenAPI 3.1 documents share: the error body, /healthz and
 * /readyz, bearer authentication, and the route that serves a document at /openapi.json
 * (no token: integrators load it into their tools before they have one).
 */
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, unknown>> };

export const OPENAPI_VERSION = '3.1.0';

export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description: '错误应答：code 为稳定的错误代码，message 为中文说明；另可附带 parameter、department、week 等细节',
  required: ['code', 'message'],
  properties: {
    code: {
      type: 'string',
      enum: ['BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_TYPE', 'DEPENDENCY_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'INTERNAL'],
    },
    message: { type: 'string', minLength: 1, description: '给人看的中文说明' },
  },
  additionalProperties: true,
};

export const RETRY_AFTER_HEADER = {
  'Retry-After': { description: '建议多少秒后重试', schema: { type: 'integer', minimum: 1 } },
};

/** A response with the error body; `retry` adds the Retry-After header (429, 503). */
export function errorResponse(description: string, retry = false): Record<string, unknown> {
  return {
    description,
    ...(retry ? { headers: RETRY_AFTER_HEADER } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

export const UNAUTHORIZED = errorResponse('缺少身份令牌，或令牌无效、已停用（401）');
export const FORBIDDEN = errorResponse('本部门无权访问（403，见契约第 3 节）');
export const DB_UNAVAILABLE = errorResponse('数据库暂不可用（503），请按 Retry-After 稍后重试', true);

export const BEARER_SCHEME = {
  type: 'http',
  scheme: 'bearer',
  description: '部门令牌：Authorization: Bearer <token>。开发环境下部门 X 的令牌为 dev-X（如 dev-emergency）；生产环境的令牌由运维人员以 whp tokens issue 签发',
};

/** /healthz and /readyz as healthRoutes (http.ts) answers them. */
export function healthPaths(dependencies: string[]): Record<string, Record<string, unknown>> {
  return {
    '/healthz': {
      get: {
        operationId: 'healthz',
        summary: '进程存活检查',
        security: [],
        tags: ['运维'],
        responses: {
          '200': {
            description: '进程在运行',
            content: { 'application/json': { schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } }, additionalProperties: false } } },
          },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        summary: `就绪检查（${dependencies.join('、')}）`,
        security: [],
        tags: ['运维'],
        responses: {
          '200': { description: '各依赖均可用', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
          '503': { description: '有依赖不可用，checks 中写明原因', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: '本接口的 OpenAPI 3.1 描述（即本文档）',
        security: [],
        tags: ['运维'],
        responses: { '200': { description: 'OpenAPI 3.1 文档', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } } },
      },
    },
  };
}

export function readinessSchema(dependencies: string[]): JsonSchema {
  return {
    type: 'object',
    required: ['status', 'checks'],
    properties: {
      status: { enum: ['ready', 'not ready'] },
      checks: {
        type: 'object',
        description: '每个依赖：ok，或不可用的原因',
        required: dependencies,
        properties: Object.fromEntries(dependencies.map((d) => [d, { type: 'string' }])),
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}

/** GET /openapi.json: the document as built at start (no token). */
export function openApiRoute(app: Express, doc: OpenApiDocument): void {
  const body = JSON.stringify(doc);
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
}
