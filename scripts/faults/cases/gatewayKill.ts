import { enrollmentCsv } from '../records';
import { until } from '../probe';
import { CaseResult, Suite, seconds, sleep } from '../suite';

/**
 * kill -9 of the gateway while a large file is being uploaded, then the department uploads the
 * whole file again (as `whp publish` is told to): every row must end up taken exactly once.
 */
async function upload(url: string, csv: Buffer): Promise<{ status: number; body: { accepted?: number; duplicates?: number; rejected?: unknown[]; message?: string } | null; error?: string }> {
  try {
    const res = await fetch(`${url}/v1/files/enrollment`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-hrss', 'content-type': 'text/csv; charset=utf-8' },
      body: csv,
      signal: AbortSignal.timeout(300_000),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as never };
  } catch (err) {
    return { status: 0, body: null, error: (err as Error).message };
  }
}

export async function gatewayKillCase(s: Suite, rows: number): Promise<CaseResult> {
  const began = Date.now();
  const failures: string[] = [];
  const measurements: [string, string][] = [];
  const { csv, eventIds } = enrollmentCsv(`${s.run}-upload`, rows, 3_000_000);
  const bytes = Buffer.from(csv, 'utf8');
  const prefix = `${s.run}-upload-csv-%`;
  const taken = async () => Number((await s.db('ingest_event').where('event_id', 'like', prefix).andWhere('state', 'accepted').count<{ n: string }[]>({ n: '*' }))[0].n);

  const first = upload(s.gateway.url, bytes);
  // Kill it once part of the file is in: after its first batches, at a random moment.
  await until(async () => (await taken()) > 0, 120_000, 50);
  await sleep(Math.floor(Math.random() * 600));
  await s.gateway.kill9();
  const killedAt = Date.now();
  const answer = await first;
  const before = await taken();
  measurements.push(['kill -9 mid-upload', `${before.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows taken when it died; the uploader got ${answer.status === 0 ? `a cut connection (${answer.error})` : `HTTP ${answer.status}`}`]);
  if (answer.status === 200) failures.push('the upload was answered 200 although the gateway was killed during it');
  if (before >= rows) failures.push('the kill came after the whole file was taken: nothing was tested');

  await s.gateway.start();
  await until(() => s.gateway.answers('/readyz'), 60_000, 200);
  measurements.push(['gateway restarted', `ready ${seconds(Date.now() - killedAt)} after the kill`]);

  let again = await upload(s.gateway.url, bytes);
  for (let i = 0; again.status !== 200 && i < 20; i++) {
    await sleep(3_000);
    again = await upload(s.gateway.url, bytes);
  }
  if (again.status !== 200 || !again.body) {
    failures.push(`the second upload was not taken: HTTP ${again.status} ${again.body?.message ?? again.error ?? ''}`);
  } else {
    const { accepted = 0, duplicates = 0, rejected = [] } = again.body;
    measurements.push(['the same file again', `accepted ${accepted.toLocaleString('en-US')}, duplicates ${duplicates.toLocaleString('en-US')}, rejected ${rejected.length}`]);
    if (accepted + duplicates !== rows || rejected.length) failures.push(`second upload: accepted ${accepted} + duplicates ${duplicates} ≠ ${rows} rows (rejected ${rejected.length})`);
    if (duplicates !== before) failures.push(`second upload: ${duplicates} duplicates, but ${before} rows were taken before the kill`);
    s.ledger.take('enrollment', eventIds);
  }
  return { name: 'gateway-kill', faults: 1, seconds: (Date.now() - began) / 1000, measurements, failures, resume: {} };
}
