import crypto from 'node:crypto';
import { Knex } from 'knex';
import { RegionConfig, industrySection } from '../shared/regionConfig';
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
  return storeNotices(db, notices);
}

/** Inserts notices that do not exist yet (ids derive from content) and queues them for Kafka. */
async function storeNotices(db: Knex, notices: Record<string, unknown>[]): Promise<number> {
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
          issuedAt: String(n.issued_at).slice(0, 10),
          employers: n.employers,
          evidence: n.evidence,
          body: n.body,
        }),
      })),
    );
  }
  return inserted.length;
}

/**
 * 定期通报不达标责任主体名单: once a month (the first sweep of the month in Shanghai time), a
 * circular listing the employers with an open HAZARD_EXCEEDED alert on a dust factor (…尘),
 * with their worst measurement and whether the rectification deadline has passed.
 */
export async function dustControlCircular(db: Knex, region: RegionConfig, asOf: Date): Promise<number> {
  const local = new Date(asOf.getTime() + 8 * 3600_000);
  const month = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  const noticeId = idOf(`dust|${month}`);
  if (await db('notice').where('notice_id', noticeId).first()) return 0;
  const rows = (
    await db.raw(
      `select a.employer_key, e.name, e.uscc, e.region_code, a.evidence,
              exists (select 1 from alert o where o.employer_key = a.employer_key and o.rule = 'OVERDUE' and o.status = 'OPEN') as overdue
         from alert a join employer e on e.employer_key = a.employer_key
        where a.rule = 'HAZARD_EXCEEDED' and a.status = 'OPEN'
        order by a.score desc, a.employer_key`,
    )
  ).rows as { employer_key: string; name: string; uscc: string | null; region_code: string; evidence: { department: string; eventType: string; eventId: string }[]; overdue: boolean }[];
  if (!rows.length) return 0;
  const hazardIds = rows.flatMap((r) => r.evidence.filter((e) => e.eventType === 'hazard').map((e) => e.eventId));
  // One array parameter, not one per id: a province's list can pass PostgreSQL's 65,535 binds.
  const hazards = await db('fact').where('event_type', 'hazard').whereRaw('event_id = any(?::text[])', [hazardIds]).select('event_id', 'payload');
  const byId = new Map(hazards.map((h) => [h.event_id, h.payload]));
  const listed: { r: (typeof rows)[number]; worst: Record<string, any> }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const r of rows) {
    const dust = r.evidence.map((e) => byId.get(e.eventId)).filter((h) => h && String(h.factor).includes('尘'));
    if (!dust.length) continue;
    const worst = dust.reduce((w, h) => (h.measured / h.limit > w.measured / w.limit ? h : w));
    listed.push({ r, worst });
  }
  if (!listed.length) return 0;
  const [y, m] = month.split('-').map(Number);
  const lines = listed.map(
    ({ r, worst }, i) =>
      `${i + 1}. ${r.name}（${region.districts[r.region_code] ?? r.region_code}）：${worst.post}岗位${worst.factor}检测值 ${worst.measured} ${worst.unit}，限值 ${worst.limit} ${worst.unit}` +
      (r.overdue ? '，逾期未整改' : '，限期整改中'),
  );
  return storeNotices(db, [
    {
      notice_id: noticeId,
      kind: 'DUST_CONTROL_FAILURES',
      title: `关于${y}年${m}月粉尘危害治理不达标责任主体名单的通报`,
      issued_at: asOf.toISOString().slice(0, 10),
      employers: listed.map((l) => l.r.employer_key),
      evidence: JSON.stringify(listed.flatMap((l) => l.r.evidence.filter((e) => e.eventType === 'hazard'))),
      body:
        `截至${y}年${m}月${local.getUTCDate()}日，经工伤预防工作联席会议成员单位数据共享比对，以下 ${listed.length} 家单位粉尘作业场所检测浓度超过国家职业卫生标准，` +
        `粉尘危害治理不达标：\n${lines.join('\n')}\n请相关单位严格落实职业病防治主体责任，限期完成整改；逾期未整改的，由卫生健康部门依法严肃处理。`,
    },
  ]);
}
