import { Response } from 'express';
import { Knex } from 'knex';
import { AuditAction, appendAudit } from '../shared/audit';
import type { Caller } from '../shared/auth';

/**
 * Reads that 人社 must be able to account for (who read which risk list, employer profile or
 * document) go to the audit log before the body is sent: a read the log could not record is
 * not served (the error handler answers 503).
 */
export async function logRead(db: Knex, res: Response, action: AuditAction, object: string, detail: Record<string, unknown> = {}): Promise<void> {
  const caller = res.locals.caller as Caller;
  await appendAudit(db, { actor: caller.department, action, object, detail: { ...detail, tokenId: caller.tokenId, tokenLabel: caller.tokenLabel } });
}
