/**
 * The demo's last step: what 人社 and the departments receive, written to files.
 * The risk list of the current ISO week (as of now), the 限期整改建议书 of the most urgent
 * recommendation, and the first 通报 draft, each as the reporter and portal would serve them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { HubConfig } from '../services/shared/config';
import { RegionConfig } from '../services/shared/regionConfig';
import { generateRiskList, storedRiskListXlsx } from '../services/reporter/store';
import { isoWeekOf } from '../services/shared/time';
import { recommendationFile } from '../services/reporter/documents';
import { findNotice, noticeSequence } from '../services/portal/queries';
import { toNoticeDocument } from '../services/portal/noticeDocument';
import { renderNoticeDocx, renderNoticePdf } from '../services/reporter/render/officialDocument';

export interface Artifact {
  label: string;
  file: string;
}

export async function reportArtifacts(o: { config: HubConfig; region: RegionConfig; db: Knex; outDir: string }): Promise<Artifact[]> {
  const { db, region, outDir } = o;
  fs.mkdirSync(outDir, { recursive: true });
  const out: Artifact[] = [];
  const now = new Date();
  const week = isoWeekOf(now).week;
  const { list } = await generateRiskList(db, region, week, now);
  const xlsx = await storedRiskListXlsx(db, week);
  if (xlsx) {
    const file = path.join(outDir, `风险清单-${week}.xlsx`);
    fs.writeFileSync(file, xlsx);
    out.push({ label: `风险清单 ${week}（${list.rows.length} 家，其中重点 ${list.rows.filter((r) => r.priority).length} 家）`, file });
  }
  const rec = await db('recommendation')
    .whereIn('status', ['OPEN', 'OVERDUE'])
    .orderByRaw(`case rule when 'PRIORITY' then 0 when 'HAZARD_EXCEEDED' then 1 else 2 end`)
    .orderBy('recommendation_id')
    .first('recommendation_id');
  if (rec) {
    for (const format of ['docx', 'pdf'] as const) {
      const { doc, bytes } = await recommendationFile(db, region, rec.recommendation_id, format);
      const file = path.join(outDir, `限期整改建议书-${doc.documentNumber}.${format}`);
      fs.writeFileSync(file, bytes);
      out.push({ label: `限期整改建议书（${doc.recipient}）${format.toUpperCase()}`, file });
    }
  }
  const notice = await db('notice').orderBy('issued_at').orderBy('notice_id').first('notice_id');
  if (notice) {
    const row = await findNotice(db, notice.notice_id);
    const doc = toNoticeDocument(row, region, await noticeSequence(db, row));
    const docx = path.join(outDir, `通报-${doc.documentNumber}.docx`);
    fs.writeFileSync(docx, await renderNoticeDocx(doc));
    out.push({ label: `通报（${doc.title}）DOCX`, file: docx });
    const pdf = path.join(outDir, `通报-${doc.documentNumber}.pdf`);
    fs.writeFileSync(pdf, await renderNoticePdf(doc));
    out.push({ label: '通报 PDF', file: pdf });
  }
  return out;
}
