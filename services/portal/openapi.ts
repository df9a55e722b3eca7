import { DEPARTMENTS } from '../shared/contract';
import { FEED_ISSUE_KIND_LABELS, RULE_IDS } from '../shared/catalog';
import { AUDIT_ACTIONS } from '../shared/audit';
import type { JsonSchema } from '../shared/avroJsonSchema';
import {
  BEARER_SCHEME,
  DB_UNAVAILABLE,
  ERROR_SCHEMA,
  FORBIDDEN,
  OPENAPI_VERSION,
  OpenApiDocument,
  RETRY_AFTER_HEADER,
  UNAUTHORIZED,
  errorResponse,
  healthPaths,
  readinessSchema,
} from '../shared/openapi';
import { EVENT_TYPES } from '../shared/contract';
import { ALERT_STATUS_FILTERS, RECOMMENDATION_STATUS_FILTERS } from './queries';
import { API, MAX_LIMIT } from './params';
import { SESSION_COOKIE, SESSION_HOURS } from './session';
import { SIGN_IN_LIMIT, SIGN_IN_WINDOW_SECONDS } from './signInLimit';
import { LIST_CHANGE_FILTERS } from './riskListView';

/**
 * The portal's read API (CONTRACT.md section 3) as OpenAPI 3.1, served at /openapi.json. The
 * shapes are those queries.ts, riskListRoutes.ts, instrumentRoutes.ts, feedIssues.ts and
 * auditRoutes.ts answer with; openapi.int.test.ts sends real requests and validates the answers
 * against this document, and fails on a route of the app that is not in it.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const nstr = nullable(str);
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const day = { type: 'string', format: 'date' };
const time = { type: 'string', format: 'date-time' };
const arr = (items: JsonSchema) => ({ type: 'array', items });
/** A closed object: every property listed is present, no other. */
const obj = (properties: Record<string, JsonSchema>, description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
});
/** An open object: the listed properties are present, others may be (reports the reporter builds). */
const open = (properties: Record<string, JsonSchema>, description?: string): JsonSchema => ({ ...obj(properties, description), additionalProperties: true });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF = 'application/pdf';
const file = (type: string, description: string) => ({
  description,
  headers: { 'Content-Disposition': { description: '附件文件名（按发文字号或周次命名）', schema: str } },
  content: { [type]: { schema: { type: 'string', contentMediaType: type } } },
});
const json = (schema: JsonSchema, description: string) => ({ description, content: { 'application/json': { schema } } });

const SCHEMAS: Record<string, JsonSchema> = {
  Error: ERROR_SCHEMA,
  Readiness: readinessSchema(['database']),
  EmployerRef: obj({ employerKey: str, uscc: nstr, name: str, regionCode: str }, '用人单位：单位键、统一社会信用代码、名称、行政区划代码'),
  Evidence: {
    type: 'object',
    description: '证据事件，按发布部门分组',
    additionalProperties: arr(obj({ eventType: str, eventId: str })),
  },
  Alert: obj({
    alertId: str,
    rule: { enum: [...RULE_IDS] },
    ruleLabel: str,
    status: { enum: ['OPEN', 'CLOSED'] },
    closeReason: nstr,
    closeReasonLabel: nstr,
    severity: str,
    severityLabel: str,
    score: num,
    late: { type: 'boolean', description: '依据迟报数据' },
    raisedOn: nullable(day),
    explanation: { type: 'string', description: '可当面宣读的中文说明' },
    evidence: ref('Evidence'),
    routedTo: arr(str),
    openedAt: time,
    updatedAt: time,
    closedAt: nullable(time),
    version: int,
    employer: ref('EmployerRef'),
  }),
  RecommendationItem: obj({
    rule: str,
    ruleLabel: str,
    department: str,
    departmentName: str,
    issuedAt: str,
    deadline: str,
    status: str,
    statusLabel: str,
    resolvedAt: nstr,
    details: arr(str),
    evidence: ref('Evidence'),
  }),
  Recommendation: obj({
    recommendationId: str,
    documentNumber: { ...nstr, description: '发文字号，如 宿工预建〔2026〕3号' },
    alertId: str,
    rule: { enum: [...RULE_IDS] },
    ruleLabel: str,
    kind: str,
    kindLabel: str,
    joint: bool,
    departments: arr(str),
    departmentNames: arr(str),
    issuedAt: day,
    deadline: nullable(day),
    status: str,
    statusLabel: str,
    closedOn: nullable(day),
    mergedInto: nstr,
    text: str,
    items: arr(ref('RecommendationItem')),
    version: int,
    employer: ref('EmployerRef'),
    documents: obj({ docx: str, pdf: str }),
  }),
  Notice: obj({
    noticeId: str,
    documentNumber: nstr,
    kind: str,
    kindLabel: str,
    title: str,
    issuedAt: day,
    employers: arr(ref('EmployerRef')),
    evidence: ref('Evidence'),
    joined: ref('Evidence'),
    late: bool,
    version: int,
    body: str,
    documents: obj({ docx: str, pdf: str }),
  }),
  EmployerProfile: obj({
    employerKey: str,
    uscc: nstr,
    name: str,
    regionCode: str,
    industryCode: nstr,
    headcount: nullable(int),
    headcountAsOf: nullable(day),
    aliases: arr(obj({ rawKey: str, kind: { enum: ['USCC', 'NAME'] }, name: nstr, regionCode: nstr, confidence: num, method: str, linkedAt: time })),
    timeline: arr(obj({ eventType: str, department: str, eventId: str, eventTime: time, summary: str })),
    timelineTotal: int,
    alerts: arr(ref('Alert')),
    recommendations: arr(ref('Recommendation')),
  }, '单位画像：人社看全部；其他部门只看本部门的事实、单位登记信息和推送给本部门的预警'),
  IdentityReview: obj({
    rawKey: str,
    name: nstr,
    regionCode: nstr,
    status: str,
    createdAt: time,
    pendingFacts: int,
    candidates: arr(obj({ employerKey: str, uscc: nstr, name: str, confidence: nullable(num) })),
  }),
  FeedIssue: obj({
    department: str,
    departmentName: str,
    eventType: str,
    eventId: str,
    kind: { enum: Object.keys(FEED_ISSUE_KIND_LABELS) },
    kindLabel: str,
    reason: str,
    employer: ref('EmployerRef'),
    detectedAt: time,
  }),
  AuditEntry: obj({
    seq: int,
    at: time,
    actor: { enum: [...Object.keys(DEPARTMENTS), 'operator'] },
    action: { enum: [...AUDIT_ACTIONS] },
    object: str,
    detail: { type: 'object' },
    actorName: str,
    actionName: str,
    summary: str,
  }),
  AuditVerdict: obj({
    intact: bool,
    checked: int,
    head: nullable(obj({ seq: int, hash: str })),
    problems: arr(obj({ kind: { enum: ['EDITED', 'MISSING', 'BROKEN_LINK', 'HEAD_MISSING'] }, seq: int, message: str })),
  }),
  RiskListRow: obj({
    rank: int,
    employerKey: str,
    uscc: nstr,
    employerName: str,
    regionCode: str,
    districtName: str,
    industryCode: nstr,
    industrySection: nstr,
    rules: arr({ enum: [...RULE_IDS] }),
    ruleLabels: arr(str),
    score: num,
    priority: bool,
    evidence: obj({
      accidents365d: int,
      deaths365d: int,
      lastAccidentDate: nullable(day),
      hazardExceedances: int,
      lastExceedanceDate: nullable(day),
      worstExceedance: nullable(obj({ factor: str, measured: num, limit: num, unit: str })),
      enrolledWorkers: int,
      headcount: nullable(int),
      coverage: nullable(num),
      uninsuredInjuries: int,
      pneumoconiosisCases: int,
      projectsWithoutCertificate: int,
    }),
    openRecommendations: arr(obj({ recommendationId: str, documentNumber: nstr, kind: str, kindLabel: str, deadline: nullable(day), departments: arr(str), departmentNames: arr(str) })),
    change: { enum: ['NEW', 'STILL_LISTED', 'FIRST'] },
    changeLabel: str,
  }),
  RiskList: obj({
    week: { type: 'string', pattern: '^[0-9]{4}-W[0-9]{2}$' },
    weekStart: day,
    weekEnd: day,
    asOf: time,
    generatedAt: time,
    regionName: str,
    previousWeek: nstr,
    comparison: str,
    rows: arr(ref('RiskListRow')),
    removed: arr(obj({ employerKey: str, uscc: nstr, employerName: str, regionCode: str, reason: str })),
    byDistrict: arr(obj({ regionCode: str, districtName: str, employers: int, priority: int })),
    byIndustry: arr(obj({ section: str, sectionName: str, employers: int, priority: int })),
  }, '每周风险清单'),
  RiskListBuilt: obj({
    week: str,
    built: { type: 'boolean', description: '本次请求新生成（201）或已存储（200）' },
    asOf: time,
    generatedAt: time,
    previousWeek: nstr,
    comparison: str,
    employers: int,
    priority: int,
    new: int,
    removed: int,
    documents: obj({ json: str, xlsx: str }),
  }),
  RiskListPending: obj({ week: str, status: { const: 'PENDING' }, message: str }),
  Pending: obj({ status: { const: 'PENDING' }, message: str }, '报告服务尚未完成，请按 Retry-After 再次请求'),
  RateAdjustmentReport: open({
    cycle: str,
    asOf: str,
    regionName: str,
    rows: arr(open({ employerKey: str, uscc: nstr, employerName: str, rateClass: int, currentRate: num, baseRate: num, direction: { enum: ['UP', 'DOWN', 'KEEP'] }, change: num, suggestedRate: num, reason: str })),
    summary: open({ employers: int, up: int, down: int, keep: int }),
  }, '浮动费率调整建议'),
  InspectionPlan: open({
    quarter: { type: 'string', pattern: '^[0-9]{4}-Q[1-4]$' },
    regionName: str,
    seed: int,
    sampleRate: num,
    sample: arr(open({ employerKey: str, employerName: str, department: str })),
    followUp: arr(open({ employerKey: str, employerName: str, department: str })),
  }, '双随机抽查名单与回头看名单（各部门只见本部门部分）'),
  PrecisionReport: open({
    asOf: str,
    regionName: str,
    quarters: arr(open({ quarter: str, listed: open({ inspections: int, hazardsFound: int }), random: open({ inspections: int, hazardsFound: int }), lift: nullable(num), clear: bool })),
  }, '风险清单命中率：清单内单位的检查发现隐患比例对比双随机抽查'),
  Session: obj({
    department: { enum: Object.keys(DEPARTMENTS) },
    departmentName: str,
    tokenLabel: { type: 'string', description: '令牌的标注（签发时所填）' },
    expiresAt: { ...time, description: `会话到期时间（登录后 ${SESSION_HOURS} 小时）` },
  }, '当前登录的部门'),
  ConsoleRiskList: obj({
    week: str,
    weekStart: day,
    weekEnd: day,
    asOf: time,
    comparison: str,
    employers: int,
    priority: int,
    removedCount: int,
    districts: arr(obj({ code: str, name: str })),
    sections: arr(obj({ code: str, name: str })),
    weeks: arr(str),
    total: int,
    limit: int,
    offset: int,
    rows: arr(obj({
      rank: nullable(int),
      employerKey: str,
      uscc: nstr,
      employerName: str,
      regionCode: str,
      districtName: str,
      industryCode: nstr,
      ruleLabels: arr(str),
      score: nullable(num),
      priority: bool,
      changeLabel: str,
      removedReason: { ...nstr, description: '本周移出的原因（仅移出行）' },
      accidents365d: nullable(int),
      coverage: nullable(num),
      openRecommendations: int,
    })),
    xlsx: { type: 'string', description: '本周清单 XLSX 的地址' },
  }, '控制台的风险清单视图：服务端筛选、分页'),
  EmployerFacts: obj({
    enrollment: { ...nullable(arr(obj({ month: str, insured: int }))), description: '各月末参保人数（人社数据；其他部门为 null）' },
    headcount: nullable(int),
    accidents: arr(obj({ date: day, category: str, deaths: int, seriousInjuries: int, minorInjuries: int, department: { enum: Object.keys(DEPARTMENTS) } })),
    measurements: arr(obj({ date: str, factor: str, post: str, measured: num, limit: num, unit: str, exceeded: bool })),
    diagnoses: { ...nullable(arr(obj({ year: int, category: int, cases: int, earlyCases: int }))), description: '职业病诊断（只有人数，无姓名；卫健数据，其他部门为 null）' },
    injuries: { ...nullable(arr(obj({ injuryDate: str, decidedAt: str, recognized: bool, insuredAtInjury: bool }))), description: '工伤认定（人社数据，其他部门为 null）' },
    projects: arr(obj({ projectId: str, projectName: str, startDate: str, contractValueYuan: num, certificate: bool })),
    rechecks: arr(obj({ verifiedAt: str, passed: bool, recommendationId: str, department: { enum: Object.keys(DEPARTMENTS) } })),
  }, '单位画像的图表数据：人社看各部门的事实；其他部门只看本部门的（他部门的部分为 null 或空）'),
  FeedHealth: obj({
    quarter: { type: 'string', pattern: '^[0-9]{4}-Q[1-4]$' },
    windowWeeks: int,
    feeds: arr(obj({
      department: { enum: Object.keys(DEPARTMENTS) },
      departmentName: str,
      eventType: { enum: [...EVENT_TYPES] },
      eventTypeLabel: str,
      lastReceived: nullable(time),
      quarterReceived: int,
      reportedThisQuarter: bool,
      accepted: int,
      rejected: int,
      rejectionRate: nullable(num),
    })),
    notReported: arr(obj({ department: { enum: Object.keys(DEPARTMENTS) }, departmentName: str, missing: arr(str) })),
    weekly: arr(obj({ week: str, department: { enum: Object.keys(DEPARTMENTS) }, departmentName: str, accepted: int })),
    topReasons: arr(obj({ reason: str, count: int })),
  }, '数据报送情况：人社看各部门；其他部门只看本部门'),
  DeadLetter: obj({
    department: str,
    departmentName: str,
    eventType: str,
    eventTypeLabel: str,
    source: { enum: ['API', 'FILE'] },
    sourceLabel: str,
    eventId: nstr,
    position: { type: 'integer', description: '文件中的行号（文件报送）或数组下标（系统推送）' },
    reasons: arr({ type: 'object', required: ['reason'], properties: { field: str, column: str, reason: str } }),
    receivedAt: time,
  }, '被拒收的记录（不含记录内容）'),
  PlanIndicators: obj({
    targets: nullable(open({ baselineYear: int, keyIndustryAccidentRateBaseline: num, accidentRateReduction: num, coverageTarget: num, trainingCoverageTarget: num })),
    accidentRateTarget: nullable(num),
    keyIndustryAccidentRate: arr(obj({ year: int, accidents: int, insured: int, ratePer100: nullable(num) })),
    coverage: obj({
      keyIndustries: obj({ insured: int, headcount: int, share: nullable(num), meetsTarget: nullable(bool) }),
      dustIndustries: obj({ insured: int, headcount: int, share: nullable(num), meetsTarget: nullable(bool) }),
    }),
    earlyPneumoconiosis: arr(obj({ year: int, cases: int, early: int, share: nullable(num) })),
    earlyShareFalling: obj({ falling: bool, note: str }),
    riskListWeeks: arr(obj({ week: str, employers: int, priority: int })),
  }, '五年行动计划指标（只有汇总数字）'),
  PublishAnswer: obj({
    accepted: { type: 'integer', minimum: 0 },
    corrected: { type: 'integer', minimum: 0 },
    duplicates: { type: 'integer', minimum: 0 },
    rejected: arr(obj({ index: int, field: str, reason: str })),
  }, '数据接收网关的答复（与 POST /v1/events/rectification 相同）'),
  TrainingCoverage: open({
    asOf: str,
    keyIndustryEmployers: int,
    trained: int,
    keyPostTotal: int,
    coverage: nullable(num),
    target: num,
    employers: arr(open({ employerKey: str, employerName: str })),
  }, '重点行业重点岗位培训覆盖率'),
};

const q = (name: string, schema: JsonSchema, description: string, required = false) => ({ name, in: 'query', required, description, schema });
const p = (name: string, description: string, schema: JsonSchema = str) => ({ name, in: 'path', required: true, description, schema });
const PAGE = [q('limit', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 }, '每页条数'), q('offset', { type: 'integer', minimum: 0, default: 0 }, '跳过条数')];
const USCC = q('uscc', str, '统一社会信用代码，或任一单位键（名称键 N:… 亦可）');

const E400 = errorResponse('查询参数不正确（中文说明，parameter 指出参数）');
const E404 = errorResponse('不存在（授权先于存在性判断：无权者得到 403 而非 404）');
const PENDING = { description: '正在生成，请按 Retry-After 稍后再请求', headers: RETRY_AFTER_HEADER, content: { 'application/json': { schema: ref('Pending') } } };
const REPORTER_503 = errorResponse('报告服务未能按时完成，请按 Retry-After 重试', true);

function get(operationId: string, summary: string, access: string, responses: Record<string, unknown>, parameters: unknown[] = []) {
  return {
    get: {
      operationId,
      summary,
      description: `访问权限：${access}`,
      tags: ['查询'],
      parameters,
      responses: { ...responses, '401': UNAUTHORIZED, '503': (responses['503'] as object) ?? DB_UNAVAILABLE },
    },
  };
}

/** A report of the instruments: JSON at the path, XLSX at path.xlsx (or ?format=xlsx). */
function instrument(path: string, operationId: string, summary: string, access: string, schema: string, parameters: unknown[], forbidden: boolean, jsonOnly: unknown[] = []) {
  const base = (xlsx: boolean) => ({
    '200': xlsx ? file(XLSX, `${summary}（XLSX）`) : { description: summary, content: { 'application/json': { schema: ref(schema) }, [XLSX]: { schema: { type: 'string', contentMediaType: XLSX } } } },
    '202': PENDING,
    '400': E400,
    ...(forbidden ? { '403': FORBIDDEN } : {}),
    '503': REPORTER_503,
  });
  const fmt = q('format', { enum: ['json', 'xlsx'] }, 'xlsx：以 XLSX 下载（同 .xlsx 地址）');
  return {
    [`${API}${path}`]: get(operationId, summary, access, base(false), [...parameters, ...jsonOnly, fmt]),
    [`${API}${path}.xlsx`]: get(`${operationId}Xlsx`, `${summary}（XLSX）`, access, base(true), parameters),
  };
}

const SESSION_SCHEME = {
  type: 'apiKey',
  in: 'cookie',
  name: SESSION_COOKIE,
  description: `控制台会话：以部门令牌 POST ${API}/session 登录后得到的 Cookie（HttpOnly、SameSite=Strict，生产环境另加 Secure；${SESSION_HOURS} 小时有效），权限与该部门的令牌相同`,
};
const SET_COOKIE = { 'Set-Cookie': { description: `${SESSION_COOKIE}=…; Path=/; HttpOnly; SameSite=Strict; Max-Age=…`, schema: str } };

function sessionPaths(): Record<string, Record<string, unknown>> {
  const path = `${API}/session`;
  return {
    [path]: {
      post: {
        operationId: 'signIn',
        summary: '以部门令牌登录控制台，换取会话 Cookie',
        description: `请求体 { "token": "<部门令牌>" }。同一客户端地址每 ${SIGN_IN_WINDOW_SECONDS} 秒最多 ${SIGN_IN_LIMIT} 次登录尝试（成功与失败都计），超过为 429 并带 Retry-After。`,
        security: [],
        tags: ['登录'],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: obj({ token: { type: 'string', minLength: 1, description: '部门令牌' } }) } },
        },
        responses: {
          '201': { description: '已登录，Set-Cookie 带会话', headers: SET_COOKIE, content: { 'application/json': { schema: ref('Session') } } },
          '400': errorResponse('未填写令牌，或请求体不是 JSON'),
          '401': errorResponse('令牌无效或已停用'),
          '429': errorResponse('登录尝试过于频繁，请按 Retry-After 稍后再试', true),
          '503': DB_UNAVAILABLE,
        },
      },
      get: {
        operationId: 'currentSession',
        summary: '当前登录的部门',
        description: '按会话 Cookie 回答；没有会话、会话已过期或已退出为 401。',
        security: [{ session: [] }],
        tags: ['登录'],
        responses: { '200': json(ref('Session'), '当前会话'), '401': errorResponse('尚未登录或登录已过期'), '503': DB_UNAVAILABLE },
      },
      delete: {
        operationId: 'signOut',
        summary: '退出登录（会话立即失效，Cookie 被清除）',
        description: '没有会话时同样回答 204。',
        security: [],
        tags: ['登录'],
        responses: { '204': { description: '已退出', headers: SET_COOKIE }, '503': DB_UNAVAILABLE },
      },
    },
  };
}

function consolePaths(): Record<string, Record<string, unknown>> {
  const C = `${API}/console`;
  const tagged = (paths: Record<string, Record<string, unknown>>) => {
    for (const item of Object.values(paths)) for (const op of Object.values(item)) (op as { tags: string[] }).tags = ['控制台'];
    return paths;
  };
  return tagged({
    [`${C}/risk-list`]: get(
      'consoleRiskList',
      '风险清单（控制台视图：筛选、搜索、分页）',
      '仅人社',
      { '200': json(ref('ConsoleRiskList'), '清单的一页'), '400': E400, '403': FORBIDDEN, '404': errorResponse('该周（或任何一周）的风险清单尚未生成') },
      [
        q('week', { type: 'string', pattern: '^[0-9]{4}-?W[0-9]{1,2}$' }, 'ISO 周（默认最近一期）'),
        q('district', str, '县区行政区划代码'),
        q('industry', str, '行业门类字母或代码前缀（如 C、C30）'),
        q('rule', { enum: [...RULE_IDS] }, '预警规则（大小写不限）'),
        q('change', { enum: [...LIST_CHANGE_FILTERS] }, '新上榜 NEW、持续在榜 STILL_LISTED、本周移出 REMOVED'),
        q('q', str, '单位名称或统一社会信用代码的一部分'),
        ...PAGE,
      ],
    ),
    [`${C}/employers/{key}/facts`]: get(
      'consoleEmployerFacts',
      '单位画像的图表数据（参保曲线、事故、检测、诊断人数、工伤认定、项目、复查）',
      '与单位画像相同：人社看全部；其他部门仅当有推送给本部门的该单位预警或整改建议（未关闭，或关闭不满 365 日）时可看，且只看本部门的事实；否则 403',
      { '200': json(ref('EmployerFacts'), '图表数据'), '403': FORBIDDEN, '404': E404 },
      [p('key', '统一社会信用代码，或单位键')],
    ),
    [`${C}/feeds`]: get('consoleFeeds', '数据报送情况（最近报送、每周数量、本季度未报送、拒收率与主要原因）', '人社看各部门；其他部门只看本部门', { '200': json(ref('FeedHealth'), '报送情况') }),
    [`${C}/dead-letters`]: get(
      'consoleDeadLetters',
      '被拒收的记录（位置与原因，不含内容）',
      '人社看各部门（可按部门筛选）；其他部门只看本部门，查询其他部门为 403',
      { '200': json(obj({ total: int, limit: int, offset: int, deadLetters: arr(ref('DeadLetter')) }), '拒收记录（分页）'), '400': E400, '403': FORBIDDEN },
      [q('department', { enum: Object.keys(DEPARTMENTS) }, '部门代码（仅人社可查其他部门）'), ...PAGE],
    ),
    [`${C}/plan-targets`]: get('consolePlanTargets', '五年行动计划指标与目标', '各成员部门（只有全地区汇总数字，无单位数据）', { '200': json(ref('PlanIndicators'), '指标') }),
    [`${C}/rechecks`]: {
      post: {
        operationId: 'consoleRecheck',
        summary: '登记整改复查结果（经数据接收网关作为 rectification 事件报送）',
        description:
          '访问权限：可报送 rectification 的部门（应急管理、卫生健康），且仅限发给本部门的整改建议；其他为 403（先判断授权再判断存在）。' +
          '请求体 { recommendationId, result: PASSED|FAILED, verifiedAt: YYYY-MM-DD, note }；以本部门身份转交网关，网关的答复即本接口的答复。同一建议同一日再次登记为重复或更正。',
        tags: ['控制台'],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['recommendationId', 'result', 'verifiedAt'],
                properties: {
                  recommendationId: { type: 'string', description: '整改建议编号（recommendationId）或发文字号' },
                  result: { enum: ['PASSED', 'FAILED'] },
                  verifiedAt: day,
                  note: { type: 'string', maxLength: 4000 },
                },
              },
            },
          },
        },
        responses: {
          '200': json(ref('PublishAnswer'), '网关的处理结果（被拒收时 rejected 写明原因）'),
          '400': errorResponse('请求体不完整或格式不对'),
          '401': UNAUTHORIZED,
          '403': FORBIDDEN,
          '503': errorResponse('数据接收网关或数据库暂不可用，复查结果未登记，请按 Retry-After 重试', true),
        },
      },
    },
  });
}

export function portalOpenApi(): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {
    ...healthPaths(['database']),
    [`${API}/alerts`]: get(
      'listAlerts',
      '预警列表（得分高者在前）',
      '人社看全部；其他部门看推送给本部门的预警；总工会看 PRIORITY、TYPICAL_ACCIDENT、OVERDUE 三类规则的预警',
      { '200': json(obj({ total: int, limit: int, offset: int, alerts: arr(ref('Alert')) }), '预警（分页）'), '400': E400 },
      [USCC, q('rule', { enum: [...RULE_IDS] }, '规则（大小写不限）'), q('status', { enum: [...ALERT_STATUS_FILTERS], default: 'OPEN' }, '状态（大小写不限）'), ...PAGE],
    ),
    [`${API}/employers/{key}`]: get(
      'employerProfile',
      '单位画像与时间线',
      '人社看全部；其他部门仅当有推送给本部门的该单位预警或整改建议（未关闭，或关闭不满 365 日）时可看，且只看本部门的事实；否则 403',
      { '200': json(ref('EmployerProfile'), '单位画像'), '403': FORBIDDEN, '404': E404 },
      [p('key', '统一社会信用代码，或单位键（名称键 N:行政区划代码:名称，需 URL 编码）')],
    ),
    [`${API}/recommendations`]: get(
      'listRecommendations',
      '整改建议列表（期限近者在前）',
      '人社看全部；总工会无权（403）；其他部门看发给本部门的',
      { '200': json(obj({ total: int, limit: int, offset: int, recommendations: arr(ref('Recommendation')) }), '整改建议（分页）'), '400': E400, '403': FORBIDDEN },
      [USCC, q('status', { enum: [...RECOMMENDATION_STATUS_FILTERS], default: 'ACTIVE' }, '状态；ACTIVE 为 OPEN 与 OVERDUE'), ...PAGE],
    ),
    [`${API}/notices`]: get(
      'listNotices',
      '通报列表（新者在前）',
      '各成员部门均可看（通报发送全体成员单位）',
      { '200': json(obj({ total: int, limit: int, offset: int, notices: arr(ref('Notice')) }), '通报（分页）'), '400': E400 },
      PAGE,
    ),
    [`${API}/review/identities`]: get(
      'listIdentityReviews',
      '单位身份待核清单（名称匹配有歧义）',
      '仅人社',
      { '200': json(obj({ reviews: arr(ref('IdentityReview')) }), '待核清单'), '400': E400, '403': FORBIDDEN },
      [q('status', { enum: ['OPEN', 'RESOLVED', 'ALL'], default: 'OPEN' }, '状态')],
    ),
    [`${API}/risk-lists/latest`]: get('latestRiskList', '最近一期风险清单（JSON）', '仅人社', { '200': json(ref('RiskList'), '风险清单'), '403': FORBIDDEN, '404': errorResponse('尚未生成任何风险清单') }),
    [`${API}/risk-lists/{week}.json`]: get(
      'riskListJson',
      '某一周的风险清单（JSON）',
      '仅人社',
      { '200': json(ref('RiskList'), '风险清单'), '400': E400, '403': FORBIDDEN, '404': errorResponse('该周风险清单尚未生成') },
      [p('week', 'ISO 周，如 2026-W47', { type: 'string', pattern: '^[0-9]{4}-?W[0-9]{1,2}$' })],
    ),
    [`${API}/risk-lists/{week}.xlsx`]: get(
      'riskListXlsx',
      '某一周的风险清单（XLSX）',
      '仅人社',
      { '200': file(XLSX, '风险清单 XLSX'), '400': E400, '403': FORBIDDEN, '404': errorResponse('该周风险清单尚未生成') },
      [p('week', 'ISO 周，如 2026-W47', { type: 'string', pattern: '^[0-9]{4}-?W[0-9]{1,2}$' })],
    ),
    [`${API}/risk-lists`]: {
      post: {
        operationId: 'buildRiskList',
        summary: '立即生成某一周的风险清单',
        description: '访问权限：仅人社。已结束且已存储的周直接返回存储的清单（200）；新生成为 201；报告服务未能在等待时间内完成为 202（继续生成）。',
        tags: ['查询'],
        parameters: [q('week', { type: 'string', pattern: '^[0-9]{4}-?W[0-9]{1,2}$' }, 'ISO 周，如 2026-W47', true)],
        responses: {
          '200': json(ref('RiskListBuilt'), '已存储的清单'),
          '201': json(ref('RiskListBuilt'), '本次新生成'),
          '202': { description: '正在生成', headers: RETRY_AFTER_HEADER, content: { 'application/json': { schema: ref('RiskListPending') } } },
          '400': errorResponse('缺少 week，或该周尚未开始'),
          '401': UNAUTHORIZED,
          '403': FORBIDDEN,
          '503': REPORTER_503,
        },
      },
    },
    ...instrument('/rate-adjustments', 'rateAdjustments', '浮动费率调整建议', '仅人社', 'RateAdjustmentReport', [q('cycle', { type: 'string', pattern: '^[0-9]{4}\\s*[-–—~至]\\s*[0-9]{4}$' }, '连续三个整年，如 2024-2026', true)], true, [
      q('limit', { type: 'integer', minimum: 1, maximum: 200 }, '每页条数（给出时分页，答复另含 total、limit、offset）'),
      q('offset', { type: 'integer', minimum: 0, default: 0 }, '跳过条数'),
      q('direction', { enum: ['UP', 'DOWN', 'KEEP'] }, '建议：上浮/下浮/不变'),
      q('q', { type: 'string' }, '单位名称或统一社会信用代码'),
    ]),
    ...instrument('/inspections/plan', 'inspectionPlan', '双随机检查计划与回头看名单', '人社看全部；应急、卫健、住建、交通各看本部门部分；市场监管、总工会无权', 'InspectionPlan', [q('quarter', { type: 'string', pattern: '^[0-9]{4}-?[Qq][1-4]$' }, '季度，如 2026-Q1（默认本季度）')], true),
    ...instrument('/risk-lists/precision', 'riskListPrecision', '风险清单命中率', '各成员单位（仅汇总数字，不含单位信息）', 'PrecisionReport', [], true),
    ...instrument('/training-coverage', 'trainingCoverage', '重点岗位培训覆盖率', '仅人社', 'TrainingCoverage', [], true),
    [`${API}/recommendations/{recommendationId}.docx`]: get(
      'recommendationDocx',
      '限期整改建议书（DOCX）',
      '人社；发给本部门的整改建议的部门；总工会无权',
      { '200': file(DOCX, '整改建议书 DOCX'), '403': FORBIDDEN, '404': E404, '503': REPORTER_503 },
      [p('recommendationId', '整改建议编号')],
    ),
    [`${API}/recommendations/{recommendationId}.pdf`]: get(
      'recommendationPdf',
      '限期整改建议书（PDF）',
      '人社；发给本部门的整改建议的部门；总工会无权',
      { '200': file(PDF, '整改建议书 PDF'), '403': FORBIDDEN, '404': E404, '503': REPORTER_503 },
      [p('recommendationId', '整改建议编号')],
    ),
    [`${API}/notices/{noticeId}.docx`]: get('noticeDocx', '通报（DOCX）', '各成员部门', { '200': file(DOCX, '通报 DOCX'), '404': E404, '503': REPORTER_503 }, [p('noticeId', '通报编号')]),
    [`${API}/notices/{noticeId}.pdf`]: get('noticePdf', '通报（PDF）', '各成员部门', { '200': file(PDF, '通报 PDF'), '404': E404, '503': REPORTER_503 }, [p('noticeId', '通报编号')]),
    [`${API}/feed-issues`]: get(
      'listFeedIssues',
      '数据报送质量问题（迟报、未采纳的复查等）',
      '人社看各部门的；其他部门只看本部门的，查询其他部门为 403',
      { '200': json(obj({ total: int, limit: int, offset: int, issues: arr(ref('FeedIssue')) }), '问题（分页）'), '400': E400, '403': FORBIDDEN },
      [q('department', { enum: Object.keys(DEPARTMENTS) }, '部门代码（仅人社可查其他部门）'), q('kind', { enum: Object.keys(FEED_ISSUE_KIND_LABELS) }, '问题类别'), ...PAGE],
    ),
    [`${API}/audit`]: get(
      'listAudit',
      '审计日志（新者在前）：谁报送了什么、谁查阅了哪些风险清单、单位档案和文书',
      '仅人社（本次查阅也记入日志）',
      { '200': json(obj({ total: int, limit: int, offset: int, entries: arr(ref('AuditEntry')) }), '日志条目（分页）'), '400': E400, '403': FORBIDDEN },
      [
        q('actor', { enum: [...Object.keys(DEPARTMENTS), 'operator'] }, '操作者'),
        q('action', { enum: [...AUDIT_ACTIONS] }, '操作'),
        q('from', day, '起始日（北京时间，含）'),
        q('to', day, '截止日（北京时间，含当日）'),
        ...PAGE,
      ],
    ),
    [`${API}/audit/verify`]: get('verifyAudit', '核验审计日志哈希链', '仅人社', { '200': json(ref('AuditVerdict'), '核验结果'), '403': FORBIDDEN }),
    ...sessionPaths(),
    ...consolePaths(),
    '/': {
      get: {
        operationId: 'console',
        summary: '中文 Web 控制台（登录后按部门显示可查看的页面）',
        description: '控制台页面本身不需要令牌；页面通过 /api/v1/session 登录后调用 /api/v1 下的接口。/risk-list、/employers/… 等控制台内的地址同样返回此页面。',
        security: [],
        tags: ['控制台'],
        responses: {
          '200': { description: '控制台页面（HTML）', content: { 'text/html': { schema: str } } },
          '503': { description: '控制台尚未构建（bash scripts/build-console.sh）', content: { 'text/plain': { schema: str } } },
        },
      },
    },
  };
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'WHP Hub 门户查询接口 (portal read API)',
      version: '1',
      description:
        '工伤预防数据交换枢纽的查询接口（契约第 3 节）：预警、单位画像、整改建议、通报、风险清单、浮动费率、双随机计划、数据质量与审计日志。' +
        '/api/v1 下每个地址都需要部门令牌（Authorization: Bearer），或控制台登录后的会话 Cookie（权限与该部门令牌相同）；先判断授权，再判断是否存在（无权者得到 403，不会从 404 得知任何信息）。错误应答为带中文 message 的 JSON。',
    },
    servers: [{ url: 'http://127.0.0.1:8090', description: '本地开发' }],
    // Either the bearer token (systems) or the console's session cookie (people): the same rights.
    security: [{ bearer: [] }, { session: [] }],
    tags: [{ name: '查询' }, { name: '登录' }, { name: '控制台' }, { name: '运维' }],
    paths,
    components: { securitySchemes: { bearer: BEARER_SCHEME, session: SESSION_SCHEME }, schemas: SCHEMAS },
  };
}
