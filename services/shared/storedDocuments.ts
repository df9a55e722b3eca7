import { Knex } from 'knex';
import { DocumentSource, StoredDocumentKind, documentIdOf, documentStamp } from './documents';
import type { RegionConfig } from './regionConfig';

/**
 * The `document` table as both sides read it: the reporter stores what it rendered with the
 * stamp of its source; the portal serves those bytes only while the stamp is still the
 * source's (services/shared/documents.ts).
 */
export type DocumentFormat = 'docx' | 'pdf';

/** What a document is rendered from, as the stamp needs it; null when there is no such source. */
export async function documentSource(db: Knex, kind: StoredDocumentKind, ref: string): Promise<DocumentSource | null> {
  if (kind === 'RECOMMENDATION') {
    const r = await db('recommendation as r')
      .leftJoin('employer as e', 'e.employer_key', 'r.employer_key')
      .where('r.recommendation_id', ref)
      .first('r.version', 'e.name', 'e.uscc');
    return r ? { kind, ref, version: Number(r.version), employerNames: [r.name ?? '', r.uscc ?? ''] } : null;
  }
  const n = await db('notice').where('notice_id', ref).first('version');
  return n ? { kind, ref, version: Number(n.version) } : null;
}

export interface StoredDocument {
  documentNumber: string | null;
  bytes: Buffer;
}

/** The stored file of the source's current content, or null when it is missing or stale. */
export async function currentDocument(
  db: Knex,
  region: RegionConfig,
  source: DocumentSource,
  format: DocumentFormat,
): Promise<StoredDocument | null> {
  const row = await db('document').where('document_id', documentIdOf(source.kind, source.ref)).first('source_stamp', 'document_number', format);
  if (!row || !row[format] || row.source_stamp !== documentStamp(source, region)) return null;
  return { documentNumber: row.document_number ?? null, bytes: row[format] as Buffer };
}
