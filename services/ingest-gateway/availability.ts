import { EventEmitter } from 'node:events';
import { HubError } from '../shared/errors';
import { Logger } from '../shared/logger';

/**
 * Whether Kafka and the registry can take records now, checked in the background every second
 * (each check bounded to two seconds): a request that arrives while one of them is down is
 * answered 503 with Retry-After at once, instead of waiting minutes for a send to time out.
 */
export type Check = () => Promise<void>;

export class Availability {
  private readonly down = new Map<string, { since: number; reason: string }>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly events = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly checks: Record<string, Check>,
    private readonly logger: Logger,
    private readonly everyMs = 1_000,
    private readonly timeoutMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await Promise.all(
        Object.entries(this.checks).map(async ([name, check]) => {
          try {
            await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`${this.timeoutMs} ms 内无响应`)), this.timeoutMs).unref())]);
            if (this.down.delete(name)) this.logger.info({ dependency: name }, `${name} 已恢复 (available again)`);
          } catch (err) {
            if (!this.down.has(name)) {
              this.down.set(name, { since: Date.now(), reason: (err as Error).message });
              this.events.emit('down');
              this.logger.warn({ dependency: name, err: (err as Error).message }, `${name} 不可用 (unavailable)`);
            }
          }
        }),
      );
    } finally {
      this.running = false;
    }
  }

  /** For /readyz: what the background checks last found, answered at once. */
  readiness(name: string): () => Promise<void> {
    return async () => {
      const d = this.down.get(name);
      if (d) throw new Error(`不可用 ${Math.round((Date.now() - d.since) / 1000)} 秒：${d.reason}`);
    };
  }

  /** Throws the 503 a department receives while a dependency is down. */
  assertAvailable(): void {
    if (this.down.size) throw this.unavailable();
  }

  private unavailable(): HubError {
    const names = [...this.down.keys()].map((n) => (n === 'kafka' ? 'Kafka 消息队列' : n === 'registry' ? '模式注册中心' : n));
    return new HubError('DEPENDENCY_UNAVAILABLE', `${names.join('、')}暂不可用，本次提交未被接收，请稍后重新提交（已接收的记录再次提交会计为重复）`, { retryAfter: 5 });
  }

  /**
   * Waits for `work` (a send to Kafka) no longer than `deadlineMs`, and not at all once a
   * dependency is found down: a request caught by an outage is answered 503 within seconds
   * instead of riding kafkajs's reconnect back-off. The send may still finish later; the records
   * were then not acknowledged, the department sends them again, the correlator takes them once.
   */
  async guard<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
    work.catch(() => {}); // settled late or not at all: nobody waits for it any more
    if (this.down.size) throw this.unavailable();
    let onDown = () => {};
    let timer: NodeJS.Timeout | undefined;
    const interrupted = new Promise<never>((_, reject) => {
      onDown = () => reject(this.unavailable());
      timer = setTimeout(
        () => reject(new HubError('DEPENDENCY_UNAVAILABLE', `Kafka 在 ${Math.round(deadlineMs / 1000)} 秒内未确认写入，本批记录未被接收，请稍后重新提交（已接收的记录再次提交会计为重复）`, { retryAfter: 5 })),
        deadlineMs,
      );
    });
    this.events.once('down', onDown);
    try {
      return await Promise.race([work, interrupted]);
    } finally {
      this.events.off('down', onDown);
      clearTimeout(timer);
      interrupted.catch(() => {});
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * At most `limit` uploads at once; one more is answered 429 with Retry-After, so that a burst of
 * concurrent uploads cannot take the gateway's memory.
 */
export class Admission {
  private active = 0;

  constructor(private readonly limit: number) {}

  enter(): () => void {
    if (this.active >= this.limit) {
      throw new HubError('TOO_MANY_REQUESTS', `当前报送请求较多（同时处理上限 ${this.limit} 个），请稍后重新提交`, { retryAfter: 3 });
    }
    this.active++;
    let left = false;
    return () => {
      if (!left) this.active--;
      left = true;
    };
  }
}
