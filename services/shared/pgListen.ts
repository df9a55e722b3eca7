import pg from 'pg';
import { DbTarget, pgConnection } from './db';
import { Logger } from './logger';

/**
 * LISTEN on PostgreSQL channels with a dedicated client (a pooled connection would be handed to
 * other queries and lose its LISTEN). When the connection drops it reconnects after a pause;
 * notifications sent meanwhile are lost, which is why every listener also polls.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: DbTarget,
    private readonly channels: Record<string, (payload: string) => void>,
    private readonly logger: Logger,
    private readonly retryMs = 2_000,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(pgConnection(this.database));
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.logger.warn({ err }, '数据库通知连接中断，稍后重连 (LISTEN connection lost; reconnecting)');
      this.retry = setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => this.channels[msg.channel]?.(msg.payload ?? ''));
    try {
      await client.connect();
      for (const channel of Object.keys(this.channels)) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      this.client = client;
    } catch (err) {
      this.client = client;
      lost(err as Error);
    }
  }

  /** Whether it is listening now (for readiness: between a drop and the reconnect it is not). */
  get listening(): boolean {
    return this.client !== null && !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
