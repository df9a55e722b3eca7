import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { Department } from '../shared/contract';
import { StoredDocumentKind, documentIdOf } from '../shared/documents';
import { HubError } from '../shared/errors';
import { allowSameOriginFraming } from '../shared/http';
import type { RegionConfig } from '../shared/regionConfig';
import { DocumentFormat, currentDocument, documentSource } from '../shared/storedDocuments';
import { forbidden, mayReadNotices, recommendationScope } from './access';
import { API, viewerOf } from './params';
import { ReportWaiter, reporterError } from './reportWaiter';
import { logRead } from './readLog';

/**
 * 限期整改建议书 and 通报 as DOCX and PDF. The reporter renders and stores them; the portal serves
 * the stored file of the current content, and when it is missing or stale asks the reporter and
 * waits, bounded: 503 with Retry-After when the reporter does not answer in time. Files are
 * named by their 发文字号, never by an internal id.
 */
export interface DocumentDeps {
  db: Knex;
  region: RegionConfig;
  waiter: ReportWaiter;
  waitMs: number;
}

const TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};
const NAMES: Record<StoredDocumentKind, string> = { RECOMMENDATION: '限期整改建议书', NOTICE: '通报' };

function fileOf(req: Request, what: string): { ref: string; format: DocumentFormat } {
  const m = /^(.+)\.(docx|pdf)$/.exec(String(req.params.file));
  if (!m) throw new HubError('NOT_FOUND', `${what}只提供 .docx 与 .pdf 两种格式`);
  return { ref: m[1], format: m[2] as DocumentFormat };
}

export function documentRoutes(app: Express, deps: DocumentDeps): void {
  const { db, region, waiter, waitMs } = deps;
  const retryAfter = Math.max(5, Math.min(60, Math.round(waitMs / 2000)));

  async function serve(res: Response, kind: StoredDocumentKind, ref: string, format: DocumentFormat, viewer: Department, inline = false): Promise<void> {
    const source = await documentSource(db, kind, ref);
    if (!source) throw new HubError('NOT_FOUND', kind === 'RECOMMENDATION' ? '未找到该整改建议' : '未找到该通报');
    let doc = await currentDocument(db, region, source, format);
    if (!doc) {
      const r = await waiter.ask({ kind: 'DOCUMENT', ref: documentIdOf(kind, ref), params: { format }, requestedBy: viewer }, waitMs);
      if (!r) {
        res.set('Retry-After', String(retryAfter));
        throw new HubError('DEPENDENCY_UNAVAILABLE', `${NAMES[kind]}正在生成，报告服务暂未完成，请约 ${retryAfter} 秒后重试`);
      }
      if (r.status === 'FAILED') throw reporterError(r.result);
      // Rendered from content at least as new as this request: served even if it moved again since.
      const row = await db('document').where('document_id', documentIdOf(kind, ref)).first('document_number', format);
      if (!row?.[format]) throw new HubError('INTERNAL', `报告服务已完成，但未找到存储的${NAMES[kind]}`);
      doc = { documentNumber: row.document_number ?? null, bytes: row[format] };
    }
    await logRead(db, res, 'READ_DOCUMENT', doc.documentNumber ?? `${NAMES[kind]}（未编号）`, { kind: NAMES[kind], number: doc.documentNumber, format });
    const name = `${NAMES[kind]}-${doc.documentNumber ?? '未编号'}.${format}`;
    res.type(TYPES[format]);
    // ?inline=1: the console's preview shows the PDF in the page instead of downloading it.
    // Only this answer may be framed (by the console, same origin); every other keeps DENY.
    if (inline && format === 'pdf') {
      res.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
      allowSameOriginFraming(res);
    } else res.attachment(name);
    res.send(doc.bytes);
  }

  app.get(`${API}/recommendations/:file`, async (req: Request, res: Response) => {
    const { ref, format } = fileOf(req, '整改建议书');
    const viewer = viewerOf(res);
    // Authorisation before existence: a department learns nothing from a 404 that a 403 hides.
    const scope = recommendationScope(viewer);
    if (scope.kind === 'NONE') throw forbidden(viewer, '查看整改建议书');
    const rec = await db('recommendation').where('recommendation_id', ref).first('departments');
    if (scope.kind === 'ROUTED' && !(rec?.departments ?? []).includes(viewer)) throw forbidden(viewer, '查看该整改建议书');
    await serve(res, 'RECOMMENDATION', ref, format, viewer, req.query.inline === '1');
  });

  app.get(`${API}/notices/:file`, async (req: Request, res: Response) => {
    const { ref, format } = fileOf(req, '通报文书');
    const viewer = viewerOf(res);
    if (!mayReadNotices(viewer)) throw forbidden(viewer, '查看通报');
    await serve(res, 'NOTICE', ref, format, viewer, req.query.inline === '1');
  });
}
