import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Integration tests talk to the real stack: make sure it is up (idempotent, fast when it is). */
export default async function globalSetup(): Promise<void> {
  if (process.env.WHP_SKIP_STACK === '1') return;
  execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'stack.sh'), 'up'], { stdio: 'inherit' });
}
