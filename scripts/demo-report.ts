/**
 * The demo's last step: what 人社 and the departments receive, written to files.
 * The risk list of the current ISO week (as of now), the 限期整改建议书 of the most urgent
 * recommendation, and the first 通报, each rendered and stored by the reporter as the portal
 * serves them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { Reporter } from '../services/reporter/reporter';
import { storedRiskListXlsx } from '../services/shared/storedRiskLists';
import { isoWeekOf } from '../services/shared/time';

export interface Artifact {
  label: string;
  file: string;
}

export async function reportArtifacts(o: { reporter: Reporter; db: Knex; outDir: string }): Promise<Artifact[]> {
  const { db, reporter, outDir } = o;
  fs.mkdirSync(outDir, { recursive: true });
  const out: Artifact[] = [];
  const now = new Date();
  const week = isoWeekOf(now).week;
  const { list } = await reporter.generate(week, now);
  const xlsx = await storedRiskListXlsx(db, week);
  if (xlsx) {
    const file = path.join(outDir, `风险清单-${week}.xlsx`);
    fs.writeFileSync(file, xlsx);
    out.push({ label: `风险清单 ${week}（${list.rows.length} 家，其中重点 ${list.rows.filter((r) => r.priority).length} 家）`, file });
  }
  // The most urgent letter: a joint one first, then one of 卫生健康, then the nearest deadline.
  const rec = await db('recommendation')
    .whereIn('status', ['OPEN', 'OVERDUE'])
    .orderByRaw(`joint desc, case when 'health' = any(departments) then 0 else 1 end, deadline, recommendation_id`)
    .first('recommendation_id');
  if (rec) {
    for (const format of ['docx', 'pdf'] as const) {
      const doc = await reporter.renderDocument('RECOMMENDATION', rec.recommendation_id, format);
      const file = path.join(outDir, `限期整改建议书-${doc.documentNumber}.${format}`);
      fs.writeFileSync(file, format === 'docx' ? doc.docx : doc.pdf!);
      out.push({ label: `限期整改建议书 ${doc.documentNumber}（${doc.title}）${format.toUpperCase()}`, file });
    }
  }
  const notice = await db('notice').orderBy('issued_at').orderBy('notice_id').first('notice_id');
  if (notice) {
    for (const format of ['docx', 'pdf'] as const) {
      const doc = await reporter.renderDocument('NOTICE', notice.notice_id, format);
      const file = path.join(outDir, `通报-${doc.documentNumber}.${format}`);
      fs.writeFileSync(file, format === 'docx' ? doc.docx : doc.pdf!);
      out.push({ label: `通报 ${doc.documentNumber}（${doc.title}）${format.toUpperCase()}`, file });
    }
  }
  return out;
}
