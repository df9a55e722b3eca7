import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Express, NextFunction, Request, Response } from 'express';
import { Knex } from 'knex';
import { HubConfig, loadConfig } from '../shared/config';
import { Department, EventType, isEventType, mayPublish, DEPARTMENTS } from '../shared/contract';
import { createDb, migrate } from '../shared/db';
import { regionCodeTable } from '../shared/divisions';
import { RegionConfig, loadRegionConfig } from '../shared/regionConfig';
import { HubError } from '../shared/errors';
import { API_CSP, closeServer, errorHandler, express, healthRoutes, isProduction, listen, securityHeaders } from '../shared/http';
import { openApiRoute } from '../shared/openapi';
import { gatewayOpenApi } from './openapi';
import { AvroProducer, connectContract } from '../shared/kafka';
import { pingRegistry } from '../shared/registry';
import { Logger, createLogger } from '../shared/logger';
import { callerOf, prepareTokens } from '../shared/auth';
import { BatchItem, BatchOutcome, IngestContext, IngestDeps } from './ingest';
import { BatchPipeline } from './pipeline';
import { HEADER_SEARCH_ROWS, columnLabel, isEmptyRow, isHeaderRow, mapColumns, noHeaderError, rowPayload, rowRecord, totalRowWord, undecodable, ColumnMap } from './headers';
import { createMetrics } from './metrics';
import { Admission, Availability } from './availability';
import { DEFAULT_INFLATE_LIMIT, ENCODING_NAME, FileRow, InflateLimit, csvRows, detectEncoding, detectFormat, peek, tooLarge, xlsxRows } from './sources';
import { checkJsonBody } from './jsonBody';

/** Records per round of validate → dedupe → produce; bounds memory for files of any length. */
export const BATCH_SIZE = 2000;
export const MAX_EVENTS_PER_REQUEST = 10_000;
/** A batch's send to Kafka not acknowledged by then is answered 503 (see Availability.guard). */
export const SEND_DEADLINE_MS = 10_000;

export interface GatewayOptions {
  config?: HubConfig;
  /** 0 = a random free port (tests, the demo). */
  port?: number;
  logger?: Logger;
  /** Upper bound of one uploaded file (413 beyond). */
  maxFileBytes?: number;
  /** Uploads taken at once (default WHP_GATEWAY_MAX_CONCURRENT); one more is answered 429. */
  maxConcurrentUploads?: number;
  /** The region (deploy/regions/<WHP_REGION>.json by default): its province's region codes are the valid ones. */
  region?: RegionConfig;
  /** How far an uploaded XLSX may inflate (zip bombs); default 64 MiB + WHP_GATEWAY_XLSX_MAX_RATIO × its size. */
  xlsxInflateLimit?: InflateLimit;
}

export interface Gateway {
  url: string;
  /** The express app (tests enumerate its routes against the OpenAPI document). */
  app: Express;
  close(): Promise<void>;
}

interface Answer {
  accepted: number;
  corrected: number;
  duplicates: number;
  rejected: Record<string, unknown>[];
  /** Files only: rows that are not records (合计/总计/小计), with why. */
  skipped?: { row: number; reason: string }[];
}

type Locals = { department: Department; type: EventType; audit: IngestContext['audit'] };

export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger('ingest-gateway', config.logLevel);
  const maxFileBytes = opts.maxFileBytes ?? 1024 * 1024 * 1024;
  const regions = regionCodeTable(opts.region ?? loadRegionConfig());
  const inflateLimit = opts.xlsxInflateLimit ?? { ...DEFAULT_INFLATE_LIMIT, ratio: config.gatewayXlsxMaxRatio };

  const { kafka, registry, ids } = await connectContract(config, logger);
  const admin = kafka.admin(); // kept for /readyz
  await admin.connect();
  const db: Knex = createDb(config);
  await migrate(db);
  await prepareTokens(db, config.env);
  const producer = await AvroProducer.connect(kafka, registry, ids);
  const metrics = createMetrics();
  const deps: IngestDeps = { db, regions, producer, pseudonymKey: config.pseudonymKey, pseudonymPreviousKey: config.pseudonymPreviousKey, logger, metrics, guardSend: (send) => availability.guard(send, SEND_DEADLINE_MS) };

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ csp: API_CSP, hsts: isProduction(config.env) }));

  app.use((req, res, next) => {
    const end = metrics.latency.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = req.route?.path ? String(req.route.path) : req.path.startsWith('/v1/') ? 'other' : req.path;
      end({ route, status: String(res.statusCode) });
    });
    next();
  });

  const checks = {
    kafka: async () => {
      await admin.describeCluster();
    },
    registry: () => pingRegistry(config),
  };
  const availability = new Availability(checks, logger);
  availability.start();
  // Readiness says what the background checks found (a check of its own could hang in kafkajs's
  // reconnect back-off while the gateway already takes records again), and whether PostgreSQL answers.
  healthRoutes(app, {
    kafka: availability.readiness('kafka'),
    registry: availability.readiness('registry'),
    database: async () => {
      await db.raw('select 1');
    },
  });
  openApiRoute(app, gatewayOpenApi(MAX_EVENTS_PER_REQUEST));
  const admission = new Admission(opts.maxConcurrentUploads ?? config.gatewayMaxConcurrent);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  /**
   * 401 → 404 → 403, then 503 while Kafka or the registry is down and 429 beyond the uploads the
   * gateway takes at once — all before any of the body is read.
   */
  const admit = async (req: Request, res: Response, next: NextFunction) => {
    const caller = await callerOf(db, req.headers.authorization);
    const { department } = caller;
    const type = String(req.params.type);
    if (!isEventType(type)) throw new HubError('NOT_FOUND', `未知的事件类型“${type}”（应为契约第 2 节所列类型之一）`);
    if (!mayPublish(department, type)) {
      throw new HubError('FORBIDDEN', `${DEPARTMENTS[department]}（${department}）无权报送 ${type} 类事件（见契约第 1 节）`, { department, type });
    }
    availability.assertAvailable();
    const leave = admission.enter();
    res.once('close', leave);
    res.locals.department = department;
    res.locals.type = type;
    res.locals.audit = { tokenId: caller.tokenId, tokenLabel: caller.tokenLabel, upload: randomUUID() };
    next();
  };

  const done = (req: Request, res: Response, answer: Answer, started: number) => {
    const { department, type } = res.locals as Locals;
    logger.info(
      { method: req.method, path: req.path, department, type, accepted: answer.accepted, corrected: answer.corrected, duplicates: answer.duplicates, rejected: answer.rejected.length, ms: Date.now() - started },
      'ingested',
    );
    res.json(answer);
  };

  // The raw body is checked before JSON.parse sees it: strict UTF-8, bounded nesting (see jsonBody.ts).
  app.post('/v1/events/:type', admit, express.json({ limit: '64mb', verify: (_req, res, buf, encoding) => checkJsonBody(buf, res as Response, encoding) }), async (req, res) => {
    const started = Date.now();
    const { department, type } = res.locals as Locals;
    const body: unknown = req.body;
    if (res.locals.jsonBodyBytes === 0 || (req.is('application/json') && Number(req.headers['content-length']) === 0)) {
      throw new HubError('BAD_REQUEST', '请求体为空：应为 JSON 对象或数组（Content-Type: application/json）');
    }
    if (!req.is('application/json') || body === undefined || body === null || typeof body !== 'object') {
      throw new HubError('BAD_REQUEST', '请求体应为 JSON 对象或数组（Content-Type: application/json）');
    }
    const records = Array.isArray(body) ? body : [body];
    if (records.length > MAX_EVENTS_PER_REQUEST) {
      throw new HubError('PAYLOAD_TOO_LARGE', `一次最多提交 ${MAX_EVENTS_PER_REQUEST} 条记录，实际为 ${records.length} 条，请分批提交`);
    }
    const ctx: IngestContext = { department, type, source: 'API', audit: (res.locals as Locals).audit };
    const answer: Answer = { accepted: 0, corrected: 0, duplicates: 0, rejected: [] };
    const batches = new BatchPipeline(deps, (o) => add(answer, o, 'index', 'field'));
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      await batches.push(ctx, records.slice(i, i + BATCH_SIZE).map((record, j) => ({ position: i + j, record, payload: record })));
    }
    await batches.drain();
    done(req, res, answer, started);
  });

  app.post('/v1/files/:type', admit, async (req, res) => {
    const started = Date.now();
    const { department, type } = res.locals as Locals;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxFileBytes) throw tooLarge(maxFileBytes);
    const { head, stream } = await peek(req, 64 * 1024, maxFileBytes);
    if (head.length === 0) throw new HubError('BAD_REQUEST', '请求体为空：请上传 CSV 或 XLSX 文件');
    const format = detectFormat(req.headers['content-type'], head);
    const encoding = format === 'xlsx' ? 'utf8' : detectEncoding(head);
    const rows: AsyncGenerator<FileRow> = format === 'xlsx' ? xlsxRows(stream, inflateLimit) : csvRows(stream, encoding);

    const answer: Answer = { accepted: 0, corrected: 0, duplicates: 0, rejected: [], skipped: [] };
    let map: ColumnMap | undefined;
    let ctx: IngestContext | undefined;
    let batch: BatchItem[] = [];
    /** The sheet the header row was found on (a CSV is sheet 1); rows of other sheets are read past. */
    let dataSheet: number | undefined;
    // One batch goes to PostgreSQL and Kafka while the next is read: at most two in memory,
    // and batches reach Kafka in file order.
    const batches = new BatchPipeline(deps, (o) => add(answer, o, 'row', 'column'));
    const flush = async () => {
      if (batch.length === 0 || !ctx) return;
      const items = batch;
      batch = [];
      await batches.push(ctx, items);
    };
    try {
      for await (const { row, cells, sheet = 1 } of rows) {
        if (!map) {
          // A title line or two above the header row is common in quarterly reports; a sheet
          // without one in its first rows (填表说明) is passed over for the next.
          if (row > HEADER_SEARCH_ROWS) {
            if (format === 'csv') throw noHeaderError(type);
            continue;
          }
          if (isHeaderRow(type, cells)) {
            const m = mapColumns(type, cells);
            map = m;
            dataSheet = sheet;
            ctx = {
              department,
              type,
              source: 'FILE',
              audit: (res.locals as Locals).audit,
              label: (field) => columnLabel(type, m, field),
              explain: (p) => (m.missing.includes(p.field) ? { field: p.field, reason: `文件中没有“${columnLabel(type, m, p.field)}”列（必填）` } : p),
              personFields: m.personHeaders,
              units: m.units,
            };
          }
          continue;
        }
        if (sheet !== dataSheet) continue;
        if (isEmptyRow(cells)) continue; // trailing empty rows, blank separators
        const total = totalRowWord(map, cells);
        if (total) {
          answer.skipped!.push({ row, reason: `${total}行，已跳过` });
          continue;
        }
        batch.push({ position: row, record: rowRecord(map, cells), payload: rowPayload(map, cells), refused: undecodable(map, cells, ENCODING_NAME[encoding]) });
        if (batch.length >= BATCH_SIZE) await flush();
      }
      if (!map) throw noHeaderError(type, format === 'xlsx');
      await flush();
      await batches.drain();
    } catch (err) {
      throw await afterPartialFile(err, batches.drain(), answer);
    }
    logger.debug({ format, department, type }, 'file read');
    done(req, res, answer, started);
  });

  app.use(() => {
    throw new HubError('NOT_FOUND', '没有这个地址（可用：POST /v1/events/{type}、POST /v1/files/{type}，接口说明见 GET /openapi.json）');
  });
  app.use(errorHandler(logger));

  const server = await listen(app, opts.port ?? config.gatewayPort, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, env: config.env }, '接入网关已启动 (ingest gateway listening)');

  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    close() {
      closing ??= (async () => {
        availability.stop();
        await closeServer(server);
        await producer.disconnect();
        await admin.disconnect();
        await db.destroy();
      })();
      return closing;
    },
  };
}

/**
 * A file that turns out unreadable part-way (corrupt zip, a bomb, a broken CSV quote) after
 * earlier batches went to Kafka: the batch in flight is waited for (the answer must not come
 * before it is settled), and the refusal says what was taken, so no record is left unaccounted.
 */
async function afterPartialFile(err: unknown, inflight: Promise<void>, answer: Answer): Promise<unknown> {
  try {
    await inflight;
  } catch (sendErr) {
    return sendErr; // the batch itself failed (503): that answer comes first
  }
  if (!(err instanceof HubError) || answer.accepted + answer.duplicates + answer.rejected.length === 0) return err;
  const taken = `；此前读到的 ${answer.accepted + answer.duplicates + answer.rejected.length} 条已处理（接收 ${answer.accepted} 条，重复 ${answer.duplicates} 条，拒收 ${answer.rejected.length} 条），修正文件后整份重新提交时，已接收的记录计为重复`;
  return new HubError(err.code, err.message + taken, { ...err.details, accepted: answer.accepted, corrected: answer.corrected, duplicates: answer.duplicates, rejected: answer.rejected });
}

/** Adds a batch's outcome to the answer, naming positions as the route does (index/field or row/column). */
function add(answer: Answer, o: BatchOutcome, pos: 'index' | 'row', fieldName: 'field' | 'column'): void {
  answer.accepted += o.accepted;
  answer.corrected += o.corrected;
  answer.duplicates += o.duplicates;
  for (const r of o.rejected) answer.rejected.push({ [pos]: r.position, [fieldName]: r.field, reason: r.reason });
}
