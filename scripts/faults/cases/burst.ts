import { benchUscc, citizenId } from '../../bench/records';
import { postRecords, submitAll } from '../ledger';
import { CaseResult, Suite } from '../suite';

/**
 * More concurrent uploads than the gateway takes at once: the ones beyond its limit are answered
 * 429 (or 503) with Retry-After, none crashes it, its memory stays bounded; the refused are sent
 * again after Retry-After until taken.
 */
export async function burstCase(s: Suite, uploads: number, perUpload: number): Promise<CaseResult> {
  const began = Date.now();
  const failures: string[] = [];
  const measurements: [string, string][] = [];
  const bodies = Array.from({ length: uploads }, (_, u) =>
    Array.from({ length: perUpload }, (_, i) => {
      const n = u * perUpload + i;
      const e = 8_000 + (n % 300);
      return { eventId: `${s.run}-burst-${n}`, regionCode: '321302', uscc: benchUscc(e + 2_000_000), employerName: `宿迁故障演练第${e}建材有限公司`, personId: citizenId(4_000_000 + n), action: 'ENROLL', effectiveDate: '2026-05-01', dustExposed: n % 4 === 0 };
    }),
  );
  const rssBefore = s.gateway.rss();
  s.gateway.resetPeak();
  const from = s.ledger.answers.length;
  const t0 = Date.now();
  const answers = await Promise.all(bodies.map((b) => postRecords(s.gateway.url, s.ledger, 'enrollment', 'hrss', b, 300_000)));
  const took = Date.now() - t0;
  const peak = s.gateway.peakRss();
  const statuses = s.ledger.statuses(from);
  measurements.push([`${uploads} uploads of ${perUpload.toLocaleString('en-US')} records at once`, `${Object.entries(statuses).map(([k, v]) => `${k === '0' ? 'connection failed' : k} × ${v}`).join(', ')} in ${(took / 1000).toFixed(1)} s`]);
  measurements.push(['gateway memory', `RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(0)} MiB during the burst`]);
  const bad = answers.filter((a) => a.status !== 200 && a.status !== 429 && a.status !== 503);
  if (bad.length) failures.push(`${bad.length} uploads got neither 200 nor 429/503: ${[...new Set(bad.map((a) => a.status))].join(', ')} ${bad[0].body?.message ?? ''}`);
  const refused = answers.filter((a) => a.status === 429 || a.status === 503);
  if (refused.some((a) => !a.retryAfter)) failures.push('a refusal came without Retry-After');
  if (refused.length === 0) failures.push('no upload was refused: the burst did not exceed what the gateway takes at once');
  if (!s.gateway.alive()) failures.push('the gateway died during the burst');
  if (peak > 1024 * 2 ** 20) failures.push(`gateway peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB over 1 GiB`);
  // The refused try again after Retry-After, as a department's system would.
  for (let u = 0; u < uploads; u++) {
    if (answers[u].status !== 200) await submitAll(s.gateway.url, s.ledger, 'enrollment', 'hrss', bodies[u], perUpload);
  }
  measurements.push(['refused uploads sent again', `${refused.length}, all taken after Retry-After`]);
  return { name: 'burst', faults: 1, seconds: (Date.now() - began) / 1000, measurements, failures, resume: {} };
}
