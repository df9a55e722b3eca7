import type { Express } from 'express';
import { match } from 'path-to-regexp';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { NOT_CONSOLE } from '../services/portal/consoleStatic';

/**
 * The routes an express 5 app really has (app.router.stack, in dispatch order), the operations
 * an OpenAPI document names, and validation of real answers against the document (Ajv's
 * JSON Schema 2020-12, the dialect of OpenAPI 3.1). Used by the route-coverage and access tests.
 */
export interface AppRoute {
  method: string; // GET, POST
  path: string; // as registered: /api/v1/employers/:key (a regular expression as its text: /.*/)
  matches(p: string): boolean;
}

interface StackLayer {
  route?: { path: string | RegExp | (string | RegExp)[]; methods: Record<string, boolean> };
}

/**
 * A route registered with a regular expression (the console's pages: GET /.*) matches what the
 * expression matches, less the paths its handler passes on (the API and the operations
 * endpoints), so a documented API operation is never counted as reaching the console.
 */
function matcher(path: string | RegExp): (p: string) => boolean {
  if (path instanceof RegExp) return (p) => path.test(p) && !NOT_CONSOLE.test(p);
  const m = match(path, { decode: decodeURIComponent, end: true });
  return (p) => m(p) !== false;
}

export function appRoutes(app: Express): AppRoute[] {
  const stack = (app as unknown as { router: { stack: StackLayer[] } }).router.stack;
  const out: AppRoute[] = [];
  for (const layer of stack) {
    if (!layer.route) continue; // middleware (auth, security headers, 404, errors)
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      const matches = matcher(path);
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: String(path), matches });
      }
    }
  }
  return out;
}

/** The route express dispatches `method path` to: the first registered one that matches. */
export function routeOf(routes: AppRoute[], method: string, path: string): AppRoute | undefined {
  return routes.find((r) => r.method === method && r.matches(path));
}

export interface DocOperation {
  method: string;
  path: string; // as documented: /api/v1/employers/{key}
  /** The path with each template filled in (`{key}` → `_key_`), to dispatch as express would. */
  example: string;
  operation: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function docOperations(doc: { paths: Record<string, Record<string, unknown>> }): DocOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, operation]) => ({ method: m.toUpperCase(), path, example: path.replace(/\{(\w+)\}/g, '_$1_'), operation: operation as Record<string, unknown> })),
  );
}

/** The documented operation a concrete request falls under (templates match one path segment part). */
export function operationOf(ops: DocOperation[], method: string, path: string): DocOperation | undefined {
  const concrete = ops.find((o) => o.method === method && o.path === path);
  if (concrete) return concrete;
  return ops.find((o) => {
    if (o.method !== method || !o.path.includes('{')) return false;
    const re = new RegExp('^' + o.path.split(/\{\w+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+') + '$');
    return re.test(path);
  });
}

/** Validates answers against a document's response schemas; one Ajv per document. */
export function answerValidator(doc: { components?: { schemas?: Record<string, unknown> } }) {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
  addFormats(ajv);
  // Each component schema under an id of its own; local $refs (#/components/schemas/X) point there.
  const BASE = 'https://whp.invalid/schemas/';
  const rebase = (schema: unknown) => JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, `"${BASE}`));
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) ajv.addSchema({ ...rebase(schema), $id: BASE + name });
  const cache = new Map<unknown, ValidateFunction>();
  const compile = (schema: unknown) => {
    let v = cache.get(schema);
    if (!v) {
      v = ajv.compile(rebase(schema));
      cache.set(schema, v);
    }
    return v;
  };
  /** null when the answer fits the document; otherwise what is wrong, in words. */
  return (op: DocOperation, status: number, contentType: string, body: unknown): string | null => {
    const response = op.operation.responses?.[String(status)];
    if (!response) return `${op.method} ${op.path}: 状态码 ${status} 未在文档中列出`;
    const media = Object.keys(response.content ?? {});
    const type = contentType.split(';')[0].trim();
    if (media.length === 0) return null;
    if (!media.includes(type)) return `${op.method} ${op.path} ${status}: 内容类型 ${type} 不在文档所列 ${media.join('、')} 中`;
    if (type !== 'application/json') return null;
    const validate = compile(response.content[type].schema);
    if (validate(body)) return null;
    return `${op.method} ${op.path} ${status}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`;
  };
}
