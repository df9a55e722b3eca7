/**
 * `npm start`: every service of the hub in the foreground, each in its own process.
 * Ctrl-C (SIGINT) or SIGTERM stops them all cleanly (each gets SIGTERM and drains).
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
// Side by side: they meet only in Kafka and PostgreSQL (the portal asks the reporter for lists
// and documents through a request table).
const SERVICES = ['ingest-gateway', 'correlator', 'reporter', 'portal'];
const present = SERVICES.filter((s) => fs.existsSync(path.join(root, 'services', s, 'main.ts')));
if (present.length === 0) {
  console.log('暂无可运行的服务 (no services yet).');
  process.exit(0);
}

const children = new Map<string, ChildProcess>();
let stopping = false;
for (const name of present) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services', name, 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[start] ${name} 意外退出 (exited: ${signal ?? code}); stopping the others`);
      stop(1);
    } else if (children.size === 0) {
      console.log('[start] 全部服务已停止 (all services stopped)');
      process.exit(process.exitCode ?? 0);
    }
  });
}
console.log(`[start] running: ${present.join(', ')} — Ctrl-C to stop`);

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const c of children.values()) c.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => process.exit(code), 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
