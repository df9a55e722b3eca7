import crypto from 'node:crypto';
import { Knex } from 'knex';
import { Department } from '../shared/contract';
import { HubError } from '../shared/errors';
import { forbidden } from './access';

/**
 * A re-check (复查) recorded in the console goes to the ingest gateway as a `rectification`
 * event under the department's own token, exactly as its system or its spreadsheet would send
 * it: the feed and the console are one path (validation, idempotency, audit, correlator).
 */
export interface RecheckInput {
  recommendationId: string;
  result: 'PASSED' | 'FAILED';
  verifiedAt: string;
  note: string;
}

/** The form's body, checked before anything is sent (the gateway checks again, as for every feed). */
export function parseRecheck(body: unknown): RecheckInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const recommendationId = typeof b.recommendationId === 'string' ? b.recommendationId.trim() : '';
  if (!recommendationId) throw new HubError('BAD_REQUEST', '请选择要复查的整改建议');
  if (b.result !== 'PASSED' && b.result !== 'FAILED') throw new HubError('BAD_REQUEST', '请选择复查结果（合格或不合格）');
  const verifiedAt = typeof b.verifiedAt === 'string' ? b.verifiedAt.trim() : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(verifiedAt)) throw new HubError('BAD_REQUEST', '复查日期应为日期（如 2026-11-25）');
  const note = typeof b.note === 'string' ? b.note.trim() : '';
  if ([...note].length > 4000) throw new HubError('BAD_REQUEST', '说明最长 4000 字');
  return { recommendationId, result: b.result, verifiedAt, note };
}

/**
 * The same re-check entered twice (a double click, a reload) is one event: the id is made from
 * the recommendation and the day; entering another result for that day is a correction.
 */
export function recheckEventId(recommendationId: string, verifiedAt: string): string {
  return `FC-${crypto.createHash('sha256').update(recommendationId).digest('hex').slice(0, 16)}-${verifiedAt.replace(/-/g, '')}`;
}

export async function recheckEvent(db: Knex, viewer: Department, input: RecheckInput): Promise<Record<string, unknown>> {
  const rec = await db('recommendation as r')
    .leftJoin('employer as e', 'e.employer_key', 'r.employer_key')
    .where('r.recommendation_id', input.recommendationId)
    .first('r.departments', 'r.employer_key', 'e.uscc', 'e.name', 'e.region_code');
  // Authorisation before existence, as every read of a recommendation.
  if (!rec || !(rec.departments ?? []).includes(viewer)) throw forbidden(viewer, '登记该整改建议的复查结果');
  return {
    eventId: recheckEventId(input.recommendationId, input.verifiedAt),
    regionCode: rec.region_code,
    ...(rec.uscc ? { uscc: rec.uscc } : {}),
    employerName: rec.name,
    recommendationId: input.recommendationId,
    result: input.result,
    verifiedAt: input.verifiedAt,
    note: input.note,
  };
}

/** Sends one event to the gateway; its answer (status and body) is the console's answer. */
export async function forwardToGateway(gatewayUrl: string, token: string, event: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${gatewayUrl}/v1/events/rectification`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    throw new HubError('DEPENDENCY_UNAVAILABLE', '数据接收网关暂不可用，复查结果未登记，请稍后重试', { retryAfter: 10 });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { message: '数据接收网关的答复无法识别' };
  }
  return { status: res.status, body };
}
