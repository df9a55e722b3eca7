import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Services stand side by side (docs: LAYOUT.md): a file under services/<a>/ imports only
 * services/<a>/ and services/shared/ (and packages, and test/ helpers in its tests). scripts/
 * and test/ may import any service. Imports are read with TypeScript's own pre-processor, so
 * `import`, `export … from`, `require()` and `import()` are all seen.
 */
const ROOT = path.resolve(__dirname, '..');
const SERVICES = path.join(ROOT, 'services');

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  imports: string;
}

/** The service folder a path lies in ('portal', 'shared' …), or null outside services/. */
function serviceOf(absolute: string): string | null {
  const rel = path.relative(SERVICES, absolute);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0] || null;
}

export function importViolations(file: string, text: string): Violation[] {
  const own = serviceOf(file);
  if (!own) return [];
  const out: Violation[] = [];
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    const spec = ref.fileName;
    const target = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec.startsWith('services/') ? path.join(ROOT, spec) : null;
    if (!target) continue;
    const other = serviceOf(target);
    if (other && other !== own && other !== 'shared') {
      const line = text.slice(0, ref.pos).split('\n').length;
      out.push({ file: path.relative(ROOT, file), line, specifier: spec, imports: other });
    }
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('services stand side by side', () => {
  test('the check names the file and line of an import of another service, in every form', () => {
    const file = path.join(SERVICES, 'portal', 'x.ts');
    const text = [
      "import { a } from '../shared/catalog';",
      "import { b } from './queries';",
      "import { c } from '../reporter/model';",
      "export { d } from '../correlator/rules';",
      "const e = require('../ingest-gateway/gateway');",
      "const f = await import('../reporter/render/officialDocument');",
      "import g from 'express';",
      "import { h } from '../../test/stack';",
    ].join('\n');
    expect(importViolations(file, text).map((v) => `${v.file}:${v.line} → ${v.imports}`)).toEqual([
      'services/portal/x.ts:3 → reporter',
      'services/portal/x.ts:4 → correlator',
      'services/portal/x.ts:5 → ingest-gateway',
      'services/portal/x.ts:6 → reporter',
    ]);
    // The shared kit imports no service either; scripts may import any.
    expect(importViolations(path.join(SERVICES, 'shared', 'y.ts'), "import { z } from '../reporter/model';")).toHaveLength(1);
    expect(importViolations(path.join(ROOT, 'scripts', 'demo.ts'), "import '../services/portal/portal';")).toEqual([]);
  });

  test('no file under services/<a>/ imports another service’s folder', () => {
    const violations = tsFiles(SERVICES).flatMap((f) => importViolations(f, fs.readFileSync(f, 'utf8')));
    const lines = violations.map((v) => `${v.file}:${v.line} imports services/${v.imports} (“${v.specifier}”)`);
    expect(lines).toEqual([]);
  });
});
