import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { EventType } from '../shared/contract';

/**
 * HTTP client of the ingest gateway, for the publisher CLI and the synthetic city. Files are
 * streamed from disk (never read whole), with progress on the bytes sent.
 */
export interface IngestAnswer {
  accepted: number;
  /** Of the accepted, the corrections: an eventId sent before with other content (revision + 1). */
  corrected: number;
  duplicates: number;
  rejected: { index?: number; row?: number; field?: string; column?: string; reason: string }[];
  /** Files only: rows that are not records (合计/总计/小计 rows), skipped with the reason. */
  skipped?: { row: number; reason: string }[];
}

/** The gateway said no (401, 403, 413, 400…): its status and Chinese message. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function contentTypeOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return XLSX_MIME;
  if (ext === '.csv' || ext === '.txt') return 'text/csv';
  return 'application/octet-stream'; // the gateway sniffs the content
}

async function answerOf(status: number, text: string): Promise<IngestAnswer> {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    throw new GatewayError(status, `网关返回了无法解析的应答（HTTP ${status}）：${text.slice(0, 200)}`);
  }
  if (status < 200 || status >= 300) {
    throw new GatewayError(status, String(body.message ?? `HTTP ${status}`), body.code as string | undefined);
  }
  return body as unknown as IngestAnswer;
}

export async function publishFile(opts: {
  gatewayUrl: string;
  token: string;
  type: EventType;
  file: string;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}): Promise<IngestAnswer> {
  const total = (await fs.promises.stat(opts.file)).size;
  const url = new URL(`/v1/files/${encodeURIComponent(opts.type)}`, opts.gatewayUrl);
  const lib = url.protocol === 'https:' ? https : http;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      opts.onProgress?.(sent, total);
      cb(null, chunk);
    },
  });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    let answered = false;
    const req = lib.request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': contentTypeOf(opts.file), 'content-length': String(total) },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The gateway may answer (401, 413) before the upload ends and close the connection:
    // the answer counts, the broken upload does not.
    req.on('error', (err) => {
      if (!answered) reject(new GatewayError(0, `无法连接接入网关 ${opts.gatewayUrl}：${err.message}`));
    });
    const file = fs.createReadStream(opts.file);
    file.on('error', reject);
    file.pipe(counter).pipe(req);
  });
  return answerOf(status, text);
}

export async function publishEvents(opts: { gatewayUrl: string; token: string; type: EventType; events: unknown[] }): Promise<IngestAnswer> {
  const url = new URL(`/v1/events/${encodeURIComponent(opts.type)}`, opts.gatewayUrl);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(opts.events),
    });
  } catch (err) {
    throw new GatewayError(0, `无法连接接入网关 ${opts.gatewayUrl}：${(err as Error).message}`);
  }
  return answerOf(res.status, await res.text());
}
