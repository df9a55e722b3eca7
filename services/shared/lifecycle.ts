import { Logger } from './logger';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

/**
 * Graceful shutdown: on SIGTERM/SIGINT the closers run in reverse order of registration
 * (last opened, first closed), each bounded in time, then the process exits.
 */
export class Lifecycle {
  private closers: Closer[] = [];
  private stopping?: Promise<void>;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  onShutdown(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  installSignalHandlers(): void {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => {
        this.logger.info({ signal: sig }, '收到停止信号，正在关闭 (shutting down)');
        const started = Date.now();
        void this.shutdown().then(() => {
          this.logger.info({ ms: Date.now() - started }, '已停止 (stopped)');
          process.exit(0);
        });
      });
    }
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      for (const c of [...this.closers].reverse()) {
        try {
          await Promise.race([
            Promise.resolve(c.close()),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), this.timeoutMs).unref()),
          ]);
        } catch (err) {
          this.logger.warn({ err, part: c.name }, '关闭时出错 (error while closing)');
        }
      }
    })();
    return this.stopping;
  }
}
