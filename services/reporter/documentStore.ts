import crypto from 'node:crypto';
import { Knex } from 'knex';
import stringify from 'safe-stable-stringify';
import { StoredDocumentKind, documentIdOf, documentStamp } from '../shared/documents';
import { HubError } from '../shared/errors';
import type { RegionConfig } from '../shared/regionConfig';
import { DocumentFormat, documentSource } from '../shared/storedDocuments';
import type { NoticeDocument, RecommendationDocument } from './model';
import { loadNotice, toNoticeDocument } from './noticeDocument';
import { loadRecommendation, toRecommendationDocument } from './recommendationDocument';

/**
 * Renders a 限期整改建议书 or 通报 from its source's current content and stores it in `document`
 * with the source's stamp, for the portal to serve. Rendering is deterministic, so a source
 * whose stamp moved without changing what the document says (a status turning OVERDUE) keeps
 * its stored bytes. The DOCX is always rendered; the PDF (LibreOffice) when asked for.
 */
export interface RenderedDocument {
  kind: StoredDocumentKind;
  ref: string;
  documentNumber: string;
  title: string;
  docx: Buffer;
  pdf: Buffer | null;
}

const hashOf = (doc: unknown) => crypto.createHash('sha256').update(stringify(doc) ?? '').digest('hex');

async function build(db: Knex, region: RegionConfig, kind: StoredDocumentKind, ref: string): Promise<RecommendationDocument | NoticeDocument> {
  return kind === 'RECOMMENDATION' ? toRecommendationDocument(await loadRecommendation(db, ref), region) : toNoticeDocument(await loadNotice(db, ref), region);
}

export async function renderAndStore(db: Knex, region: RegionConfig, kind: StoredDocumentKind, ref: string, format: DocumentFormat): Promise<RenderedDocument> {
  const source = await documentSource(db, kind, ref);
  if (!source) throw new HubError('NOT_FOUND', kind === 'RECOMMENDATION' ? '未找到该整改建议' : '未找到该通报', { ref });
  const stamp = documentStamp(source, region);
  const doc = await build(db, region, kind, ref);
  const hash = hashOf(doc);
  const id = documentIdOf(kind, ref);
  const stored = await db('document').where('document_id', id).first('content_hash', 'docx', 'pdf');
  const same = stored?.content_hash === hash;
  const render = await import('./render/officialDocument');
  const docx: Buffer =
    same && stored.docx ? stored.docx : kind === 'RECOMMENDATION' ? await render.renderRecommendationDocx(doc as RecommendationDocument) : await render.renderNoticeDocx(doc as NoticeDocument);
  let pdf: Buffer | null = same ? (stored.pdf ?? null) : null;
  if (format === 'pdf' && !pdf) pdf = await (await import('./render/libreoffice')).docxToPdf(docx, `${kind.toLowerCase()}-${ref}`);
  await db('document')
    .insert({ document_id: id, kind, ref_id: ref, document_number: doc.documentNumber, docx, pdf, content_hash: hash, source_stamp: stamp, updated_at: db.fn.now() })
    .onConflict('document_id')
    .merge(['document_number', 'docx', 'pdf', 'content_hash', 'source_stamp', 'updated_at']);
  return { kind, ref, documentNumber: doc.documentNumber, title: doc.title, docx, pdf };
}
