import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** What the benchmark sections share: repeats and their spread, service processes and their memory. */
export const ROOT = path.resolve(__dirname, '..', '..');

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function spread(runs: number[]): Spread {
  const s = [...runs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1], runs };
}

export async function repeat(n: number, one: (i: number) => Promise<number>): Promise<Spread> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) runs.push(await one(i));
  return spread(runs);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** Peak resident memory of a process so far (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Peak RSS seen (sampled every 200 ms and read from VmHWM at stop). */
  peak(): number;
  stop(): Promise<void>;
}

/** Starts `services/<name>/main.ts` as its own process and waits for its /readyz. */
export async function startService(name: string, env: Record<string, string>, readyPath = '/readyz', portVar?: string): Promise<ServiceProcess> {
  const port = await freePort();
  // WHP_BENCH_PROFILE=<dir>: each service writes a CPU profile there when it stops (Node refuses --cpu-prof in NODE_OPTIONS).
  const profile = process.env.WHP_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.WHP_BENCH_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, 'services', name, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...(portVar ? { [portVar]: String(port) } : {}), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid!))), 200);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(url + readyPath, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready within 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    name,
    child,
    url,
    peak: () => Math.max(peak, peakRss(child.pid!)),
    async stop() {
      peak = Math.max(peak, peakRss(child.pid!));
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export function machine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);
