import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../bench/common';

/**
 * One of the hub's services as its own process (services/<name>/main.ts), on a fixed port so that
 * a restart keeps its address: killed with SIGKILL and started again as an orchestrator would.
 * Its output goes to a log file under out/faults, read when something goes wrong.
 */
export type ServiceName = 'ingest-gateway' | 'correlator' | 'portal' | 'reporter';

const PORT_VARIABLE: Record<ServiceName, string> = {
  'ingest-gateway': 'GATEWAY_PORT',
  correlator: 'CORRELATOR_PORT',
  portal: 'PORTAL_PORT',
  reporter: 'REPORTER_PORT',
};

export class HubProcess {
  private child: ChildProcess | null = null;
  private peakRssBytes = 0;
  private sampler: NodeJS.Timeout | null = null;
  readonly url: string;
  starts = 0;

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the process and waits until /healthz answers (readiness is the caller's question). */
  async start(timeoutMs = 90_000): Promise<void> {
    // A second child would orphan the first (and keep its port): stop or kill before starting.
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'services', this.name, 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env, [PORT_VARIABLE[this.name]]: String(this.port) },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.starts++;
    this.sampler ??= setInterval(() => this.sampleRss(), 100);
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode} while starting (log: ${this.logFile})`);
      if (await this.answers('/healthz')) return;
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer /healthz within ${timeoutMs / 1000} s (log: ${this.logFile})`);
      await sleep(200);
    }
  }

  async answers(route: string): Promise<boolean> {
    try {
      return (await fetch(this.url + route, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  }

  /** kill -9: no shutdown hooks, no commit, no goodbye to the consumer group. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident memory now, in bytes. */
  rss(): number {
    if (!this.child?.pid) return 0;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  private sampleRss(): void {
    this.peakRssBytes = Math.max(this.peakRssBytes, this.rss());
  }

  /** The highest RSS sampled since the last reset (every 100 ms). */
  peakRss(): number {
    return this.peakRssBytes;
  }

  resetPeak(): void {
    this.peakRssBytes = this.rss();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
