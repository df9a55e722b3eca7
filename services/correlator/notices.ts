import crypto from 'node:crypto';
import { Knex } from 'knex';
import stringify from 'safe-stable-stringify';
import { accidentCategoryName } from '../shared/contract';
import { isDustFactor, isMajorAccident } from '../shared/catalog';
import { describeAccident, formatNumber } from '../shared/format';
import { sectionName } from '../shared/industry';
import { RegionConfig, industrySection } from '../shared/regionConfig';
import { cnDate, daysBetween, monthDotDay, shanghaiDay } from '../shared/time';
import { Fact, factKey, reportedLate, toFact } from './facts';
import { takeDocumentNumbers } from './numbers';

/**
 * 通报 (circulars) across employers:
 * - 典型事故: one per accident with a death or of 较大 grade; one per cluster of ≥ N accidents
 *   of one GB 6441 category in one industry section within D days. An accident appears in at
 *   most one circular: a further accident that fits an already circulated cluster is recorded
 *   with it (joined), and a new cluster needs N accidents not yet circulated.
 * - 粉尘危害治理不达标责任主体名单: once a month, the employers with open dust exceedances.
 * The typical-accident circulars are a pure function of the accidents, taken in the order the
 * hub learned of them, so any arrival order gives the same circulars.
 */
export interface AccidentInput {
  fact: Fact;
  employerKey: string;
  employerName: string;
  section: string | null;
}

export interface NoticeDraft {
  noticeId: string;
  kind: 'TYPICAL_ACCIDENT' | 'DUST_CONTROL_FAILURES';
  title: string;
  issuedOn: string;
  employers: string[];
  members: Fact[];
  joined: Fact[];
  late: boolean;
  body: string;
  section: string | null;
  category: number | null;
}

const idOf = (s: string) => 'NTC-' + crypto.createHash('sha256').update(s).digest('hex').slice(0, 20);

/** 建筑业, 制造业 …: how a circular names an industry section. */
const industryOf = (section: string | null) => (section ? sectionName(section) : '有关行业');

function singleNotice(a: AccidentInput, issuedOn: string, windowDays: number): NoticeDraft {
  const p = a.fact.payload;
  const cat = accidentCategoryName(Number(p.category));
  const late = reportedLate(a.fact, windowDays);
  return {
    noticeId: idOf(`accident|${factKey(a.fact)}`),
    kind: 'TYPICAL_ACCIDENT',
    title: `关于${a.employerName}“${monthDotDay(p.occurredAt)}”${cat}事故的通报`,
    issuedOn,
    employers: [a.employerKey],
    members: [a.fact],
    joined: [],
    late,
    section: a.section,
    category: Number(p.category),
    body:
      `${cnDate(p.occurredAt)}，${a.employerName}（${industryOf(a.section)}）发生一起${cat}事故，造成 ${p.deaths} 人死亡、${p.seriousInjuries} 人重伤、${p.minorInjuries} 人轻伤，直接经济损失 ${formatNumber(Math.round(Number(p.directLossYuan) / 100) / 100)} 万元。` +
      `事故简况：${p.summary || '（未填写）'}。` +
      (late ? `（迟报：该事故于${cnDate(a.fact.knownDay)}方才报送，距发生已 ${daysBetween(a.fact.day, a.fact.knownDay)} 日。）` : '') +
      '各地各部门要深刻吸取事故教训，举一反三，全面排查同类风险。',
  };
}

function clusterBody(n: NoticeDraft, byKey: Map<string, AccidentInput>, region: RegionConfig): string {
  const members = [...n.members, ...n.joined].sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1));
  const names = [...new Set(members.map((m) => byKey.get(factKey(m))?.employerName ?? ''))].filter(Boolean);
  const cat = accidentCategoryName(n.category ?? 0);
  return (
    `${cnDate(members[0].eventTime)}至${cnDate(members[members.length - 1].eventTime)}，本地区${industryOf(n.section)} ${region.rules.typicalClusterDays} 日内连续发生${cat}事故 ${members.length} 起，` +
    `涉及 ${names.length} 家单位：${names.join('、')}。\n` +
    members.map((m, i) => `${i + 1}. ${byKey.get(factKey(m))?.employerName ?? ''}：${describeAccident(m.payload as never)}`).join('\n') +
    (n.joined.length ? `\n其中第 ${members.map((m, i) => (n.joined.includes(m) ? i + 1 : 0)).filter(Boolean).join('、')} 起为通报印发后报送的同类事故，一并记录，不再另行通报。` : '') +
    '\n请相关行业主管部门组织开展专项排查整治。'
  );
}

/**
 * The typical-accident circulars of a region, taking the accidents in the order the hub
 * received them (by day; those received the same day together). `asOfDay` bounds what is known.
 */
export function typicalAccidentNotices(accidents: AccidentInput[], region: RegionConfig, asOfDay: string): NoticeDraft[] {
  const D = region.rules.typicalClusterDays;
  const N = region.rules.typicalClusterCount;
  const W = region.rules.accidentWindowDays;
  const known = accidents.filter((a) => a.fact.knownDay <= asOfDay && a.fact.day <= asOfDay).sort((a, b) => (a.fact.eventTime === b.fact.eventTime ? (factKey(a.fact) < factKey(b.fact) ? -1 : 1) : a.fact.eventTime < b.fact.eventTime ? -1 : 1));
  const days = [...new Set(known.map((a) => a.fact.knownDay))].sort();
  const circulated = new Map<string, NoticeDraft>();
  const notices: NoticeDraft[] = [];
  for (const t of days) {
    const today = known.filter((a) => a.fact.knownDay <= t && !circulated.has(factKey(a.fact)));
    for (const a of today) {
      const p = a.fact.payload;
      if (Number(p.deaths) < 1 && !isMajorAccident(p)) continue;
      const n = singleNotice(a, t, W);
      notices.push(n);
      circulated.set(factKey(a.fact), n);
    }
    // Clusters: per (section, category), in event order.
    const groups = new Map<string, AccidentInput[]>();
    for (const a of today) {
      if (circulated.has(factKey(a.fact)) || !a.section) continue;
      const k = `${a.section}|${a.fact.payload.category}`;
      const group = groups.get(k);
      if (group) group.push(a);
      else groups.set(k, [a]);
    }
    for (const [k, list] of groups) {
      const [section, category] = k.split('|');
      let rest = list;
      // A further accident that fits a circulated cluster within D days is recorded with it.
      for (const n of notices.filter((x) => x.section === section && x.category === Number(category) && x.members.length > 1)) {
        rest = rest.filter((a) => {
          const all = [...n.members, ...n.joined, a.fact].map((f) => f.day).sort();
          if (daysBetween(all[0], all[all.length - 1]) >= D) return true;
          (a.fact.knownDay <= n.issuedOn ? n.members : n.joined).push(a.fact);
          if (!n.employers.includes(a.employerKey)) n.employers.push(a.employerKey);
          circulated.set(factKey(a.fact), n);
          return false;
        });
      }
      let i = 0;
      while (i < rest.length) {
        // `rest` is in event order: the accidents within D days of the i-th are the run that follows it.
        let end = i;
        while (end < rest.length && daysBetween(rest[i].fact.day, rest[end].fact.day) < D) end++;
        const window = rest.slice(i, end);
        if (window.length < N) {
          i++;
          continue;
        }
        const n: NoticeDraft = {
          noticeId: idOf(`cluster|${k}|${factKey(window[0].fact)}`),
          kind: 'TYPICAL_ACCIDENT',
          title: `关于${industryOf(section)}${accidentCategoryName(Number(category))}事故集中发生情况的通报`,
          issuedOn: t,
          employers: [...new Set(window.map((m) => m.employerKey))],
          members: window.map((m) => m.fact),
          joined: [],
          late: window.some((m) => reportedLate(m.fact, D)),
          section,
          category: Number(category),
          body: '',
        };
        notices.push(n);
        window.forEach((m) => circulated.set(factKey(m.fact), n));
        rest = [...rest.slice(0, i), ...rest.slice(end)];
      }
    }
  }
  const byKey = new Map(known.map((a) => [factKey(a.fact), a]));
  for (const n of notices) if (n.members.length > 1 || n.joined.length) n.body = clusterBody(n, byKey, region);
  return notices;
}

/** The accidents the circulars are drawn from: occurred or received within the horizon. */
export async function loadAccidents(db: Knex, region: RegionConfig, asOf: Date): Promise<AccidentInput[]> {
  const horizon = new Date(asOf.getTime() - (region.rules.accidentWindowDays + region.rules.typicalClusterDays) * 86_400_000).toISOString();
  const today = shanghaiDay(asOf);
  const { rows } = await db.raw(
    `select f.department, f.event_type, f.event_id, f.event_time, f.payload, e.employer_key, e.name, e.industry_code
       from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
      where f.event_type = 'accident'
        and (f.event_time > ? or coalesce(f.payload->>'firstIngestedAt', f.payload->>'ingestedAt') > ?)`,
    [horizon, horizon],
  );
  return rows.map((r: Record<string, any>) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
    fact: toFact(r as never, today),
    employerKey: r.employer_key,
    employerName: r.name,
    section: industrySection(r.industry_code),
  }));
}

/**
 * 定期通报不达标责任主体名单: once a month (the first sweep of the month, Shanghai time), the
 * employers with an open HAZARD_EXCEEDED alert on a dust factor, with their worst measurement
 * and whether the rectification deadline has passed.
 */
export async function dustControlNotice(db: Knex, region: RegionConfig, asOf: Date): Promise<NoticeDraft | null> {
  const today = shanghaiDay(asOf);
  const month = today.slice(0, 7);
  const noticeId = idOf(`dust|${month}`);
  if (await db('notice').where('notice_id', noticeId).first()) return null;
  const rows = (
    await db.raw(
      `select a.employer_key, e.name, e.region_code, a.evidence,
              exists (select 1 from alert o where o.employer_key = a.employer_key and o.rule = 'OVERDUE' and o.status = 'OPEN') as overdue
         from alert a join employer e on e.employer_key = a.employer_key
        where a.rule = 'HAZARD_EXCEEDED' and a.status = 'OPEN'
        order by a.score desc, a.employer_key`,
    )
  ).rows as { employer_key: string; name: string; region_code: string; evidence: { department: string; eventType: string; eventId: string }[]; overdue: boolean }[];
  if (!rows.length) return null;
  const hazardIds = rows.flatMap((r) => r.evidence.filter((e) => e.eventType === 'hazard').map((e) => e.eventId));
  const hazards = await db('fact').where('event_type', 'hazard').whereRaw('event_id = any(?::text[])', [hazardIds]).select('department', 'event_type', 'event_id', 'event_time', 'payload');
  const byId = new Map(hazards.map((h: Record<string, any>) => [h.event_id, h])); // eslint-disable-line @typescript-eslint/no-explicit-any
  const listed: { r: (typeof rows)[number]; dust: Fact[]; worst: Record<string, any> }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const r of rows) {
    const dust = r.evidence.map((e) => byId.get(e.eventId)).filter((h): h is Parameters<typeof toFact>[0] => !!h && isDustFactor(String(h.payload.factor))).map((h) => toFact(h, today));
    if (!dust.length) continue;
    const worst = dust.reduce((w, h) => (h.payload.measured / h.payload.limit > w.payload.measured / w.payload.limit ? h : w)).payload;
    listed.push({ r, dust, worst });
  }
  if (!listed.length) return null;
  const [y, m] = month.split('-').map(Number);
  const lines = listed.map(
    ({ r, worst }, i) =>
      `${i + 1}. ${r.name}（${region.districts[r.region_code] ?? r.region_code}）：${worst.post}岗位${worst.factor}检测值 ${formatNumber(Number(worst.measured))} ${worst.unit}，限值 ${formatNumber(Number(worst.limit))} ${worst.unit}` +
      (r.overdue ? '，逾期未整改' : '，限期整改中'),
  );
  return {
    noticeId,
    kind: 'DUST_CONTROL_FAILURES',
    title: `关于${y}年${m}月粉尘危害治理不达标责任主体名单的通报`,
    issuedOn: today,
    employers: listed.map((l) => l.r.employer_key),
    members: listed.flatMap((l) => l.dust),
    joined: [],
    late: false,
    section: null,
    category: null,
    body:
      `截至${cnDate(today)}，经工伤预防工作联席会议成员单位数据共享比对，以下 ${listed.length} 家单位粉尘作业场所检测浓度超过国家职业卫生标准，` +
      `粉尘危害治理不达标：\n${lines.join('\n')}\n请相关单位严格落实职业病防治主体责任，限期完成整改；逾期未整改的，由卫生健康部门依法严肃处理。`,
  };
}

const ref = (f: Fact) => ({ department: f.department, eventType: f.eventType, eventId: f.eventId });

/** Stores new circulars (numbered when issued) and changes to known ones; each goes out once per change. */
export async function storeNotices(db: Knex, region: RegionConfig, drafts: NoticeDraft[]): Promise<number> {
  if (!drafts.length) return 0;
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['whp-notices']);
    const stored = new Map<string, Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
      (await trx('notice').whereRaw('notice_id = any(?::text[])', [drafts.map((d) => d.noticeId)])).map((r: Record<string, any>) => [r.notice_id, r]), // eslint-disable-line @typescript-eslint/no-explicit-any
    );
    const changed: { d: NoticeDraft; content: Record<string, unknown>; hash: string; prev?: Record<string, any> }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const d of drafts) {
      const content = { title: d.title, body: d.body, employers: d.employers, evidence: d.members.map(ref), joined: d.joined.map(ref), late: d.late };
      const hash = crypto.createHash('sha256').update(stringify(content) ?? '').digest('hex');
      const prev = stored.get(d.noticeId);
      // A circular once issued keeps its issue day and number; it changes only by what joins it.
      if (prev && (prev.content_hash === hash || prev.content_hash === null)) continue;
      changed.push({ d, content, hash, prev });
    }
    const fresh = changed.filter((c) => !c.prev).sort((a, b) => (a.d.issuedOn === b.d.issuedOn ? (a.d.noticeId < b.d.noticeId ? -1 : 1) : a.d.issuedOn < b.d.issuedOn ? -1 : 1));
    const numbers = new Map<string, string>();
    for (const year of [...new Set(fresh.map((c) => Number(c.d.issuedOn.slice(0, 4))))].sort()) {
      const mine = fresh.filter((c) => Number(c.d.issuedOn.slice(0, 4)) === year);
      (await takeDocumentNumbers(trx, region.documentPrefix, 'NOTICE', year, mine.length)).forEach((n, i) => numbers.set(mine[i].d.noticeId, n));
    }
    for (const { d, content, hash, prev } of changed) {
      const row = {
        notice_id: d.noticeId,
        kind: d.kind,
        title: d.title,
        issued_at: prev ? prev.issued_at : d.issuedOn,
        employers: d.employers,
        evidence: JSON.stringify(content.evidence),
        joined: JSON.stringify(content.joined),
        body: d.body,
        late: d.late,
        section: d.section,
        category: d.category,
        document_number: prev?.document_number ?? numbers.get(d.noticeId),
        version: prev ? Number(prev.version) + 1 : 1,
        content_hash: hash,
      };
      await trx('notice').insert(row).onConflict('notice_id').merge();
      await trx('outbox').insert({
        topic_type: 'notice',
        message_key: d.noticeId,
        value: JSON.stringify({
          noticeId: d.noticeId,
          kind: d.kind,
          documentNumber: row.document_number ?? '',
          title: d.title,
          issuedAt: String(row.issued_at).slice(0, 10),
          employers: d.employers,
          evidence: content.evidence,
          joined: content.joined,
          body: d.body,
          late: d.late,
          version: row.version,
        }),
      });
    }
    return changed.length;
  });
}

