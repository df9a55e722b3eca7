import crypto from 'node:crypto';
import { Knex } from 'knex';
import { RegionConfig, industrySection } from './regionConfig';
import { accidentCategoryName } from '../shared/contract';

const cnDate = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const idOf = (s: string) => 'NTC-' + crypto.createHash('sha256').update(s).digest('hex').slice(0, 20);

interface AccidentRow {
  department: string;
  event_id: string;
  event_time: Date;
  employer_key: string;
  name: string;
  industry_code: string | null;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * 通报典型事故: one notice per accident with a death or of 较大 grade, and one per cluster of
 * ≥ N accidents of one category in one industry section within D days. Ids derive from the
 * evidence, so the sweep can run any number of times and creates each notice once.
 */
export async function detectAccidentClusters(db: Knex, region: RegionConfig, asOf: Date): Promise<number> {
  const since = new Date(asOf.getTime() - region.rules.accidentWindowDays * 86_400_000);
  const rows: AccidentRow[] = (
    await db.raw(
      `select f.department, f.event_id, f.event_time, e.employer_key, e.name, e.industry_code, f.payload
         from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
        where f.event_type = 'accident' and f.event_time > ? and f.event_time <= ?
        order by f.event_time, f.event_id`,
      [since.toISOString(), asOf.toISOString()],
    )
  ).rows;
  const notices: Record<string, unknown>[] = [];
  for (const r of rows) {
    const p = r.payload;
    const major = p.deaths >= 3 || p.seriousInjuries >= 10 || p.directLossYuan >= 10_000_000;
    if (p.deaths < 1 && !major) continue;
    const cat = accidentCategoryName(p.category);
    notices.push({
      notice_id: idOf(`accident|${r.department}|${r.event_id}`),
      kind: 'TYPICAL_ACCIDENT',
      title: `关于${r.name}“${new Date(Date.parse(p.occurredAt) + 8 * 3600_000).getUTCMonth() + 1}·${new Date(Date.parse(p.occurredAt) + 8 * 3600_000).getUTCDate()}”${cat}事故的通报`,
      issued_at: asOf.toISOString().slice(0, 10),
      employers: [r.employer_key],
      evidence: JSON.stringify([{ department: r.department, eventType: 'accident', eventId: r.event_id }]),
      body:
        `${cnDate(p.occurredAt)}，${r.name}发生一起${cat}事故，造成 ${p.deaths} 人死亡、${p.seriousInjuries} 人重伤、${p.minorInjuries} 人轻伤，直接经济损失 ${Math.round(p.directLossYuan / 10000)} 万元。` +
        `事故简况：${p.summary || '（未填写）'}。各地各部门要深刻吸取事故教训，举一反三，全面排查同类风险。`,
    });
  }
  // Clusters: slide a window over each (section, category).
  const groups = new Map<string, AccidentRow[]>();
  for (const r of rows) {
    const s = industrySection(r.industry_code);
    if (!s) continue;
    const k = `${s}|${r.payload.category}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const D = region.rules.typicalClusterDays * 86_400_000;
  const N = region.rules.typicalClusterCount;
  for (const [k, list] of groups) {
    let i = 0;
    while (i < list.length) {
      const start = new Date(list[i].event_time).getTime();
      const members = list.filter((x) => new Date(x.event_time).getTime() >= start && new Date(x.event_time).getTime() < start + D);
      if (members.length >= N) {
        const [section, category] = k.split('|');
        const cat = accidentCategoryName(Number(category));
        notices.push({
          notice_id: idOf(`cluster|${k}|${members.map((m) => m.event_id).join(',')}`),
          kind: 'TYPICAL_ACCIDENT',
          title: `关于${section}门类行业${cat}事故集中发生情况的通报`,
          issued_at: asOf.toISOString().slice(0, 10),
          employers: [...new Set(members.map((m) => m.employer_key))],
          evidence: JSON.stringify(members.map((m) => ({ department: m.department, eventType: 'accident', eventId: m.event_id }))),
          body:
            `${cnDate(members[0].payload.occurredAt)}至${cnDate(members[members.length - 1].payload.occurredAt)}，本地区${section}门类行业 ${region.rules.typicalClusterDays} 日内连续发生${cat}事故 ${members.length} 起，` +
            `涉及 ${new Set(members.map((m) => m.employer_key)).size} 家单位：${[...new Set(members.map((m) => m.name))].join('、')}。请相关行业主管部门组织开展专项排查整治。`,
        });
        i += members.length;
      } else i++;
    }
  }
  if (!notices.length) return 0;
  const inserted = await db('notice').insert(notices).onConflict('notice_id').ignore().returning('*');
  if (inserted.length) {
    await db('outbox').insert(
      inserted.map((n) => ({
        topic_type: 'notice',
        message_key: n.notice_id,
        value: JSON.stringify({
          noticeId: n.notice_id,
          kind: n.kind,
          documentNumber: '',
          title: n.title,
          issuedAt: new Date(n.issued_at).toISOString().slice(0, 10),
          employers: n.employers,
          evidence: n.evidence,
          body: n.body,
        }),
      })),
    );
  }
  return inserted.length;
}
