import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away CA and a server certificate it signs (for 127.0.0.1 and localhost), made with the
 * machine's openssl in a temporary folder; `remove` deletes it.
 */
export function makeTestPki(): { dir: string; caFile: string; certFile: string; keyFile: string; otherCaFile: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-pki-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=whp-test-ca', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=whp-other-ca', '-keyout', f('other.key'), '-out', f('other.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'));
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem'));
  return {
    dir,
    caFile: f('ca.pem'),
    certFile: f('server.pem'),
    keyFile: f('server.key'),
    otherCaFile: f('other.pem'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
