import fs from 'node:fs';
import path from 'node:path';
import client from 'prom-client';

/**
 * The Grafana dashboard asks only for metrics the services define. The names come from the
 * source files (every `new client.Counter|Gauge|Histogram|Summary({ name: … })` and the prefixes
 * of `collectDefaultMetrics`), not from a list kept by hand; a histogram's series are its
 * _bucket, _sum and _count.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const dashboard = JSON.parse(fs.readFileSync(path.join(__dirname, 'whp-hub.json'), 'utf8'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

type Kind = 'Counter' | 'Gauge' | 'Histogram' | 'Summary';

/** Metric name → kind, as the code declares them. */
function definedMetrics(files: string[]): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new\s+client\.(Counter|Gauge|Histogram|Summary)\s*\(\s*\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g)) out.set(m[2], m[1] as Kind);
    for (const m of text.matchAll(/collectDefaultMetrics\(\s*\{[^}]*prefix:\s*'([a-z0-9_]+)'/g)) {
      // The default metrics prom-client itself registers under that prefix.
      const registry = new client.Registry();
      client.collectDefaultMetrics({ register: registry, prefix: m[1] });
      for (const metric of registry.getMetricsAsArray()) out.set(metric.name, metric.constructor.name as Kind);
    }
  }
  return out;
}

/** Every series name a query uses: identifiers not followed by `(` that are not PromQL words or labels. */
function seriesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutLabels = withoutStrings.replace(/\{[^}]*\}/g, '{}').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((w) => !/^(by|without|offset|bool|and|or|unless|le|inf|nan|e\d*)$/i.test(w) && !/^\d/.test(w));
}

const defined = definedMetrics(sources(path.join(ROOT, 'services')));
const panels = dashboard.panels.filter((p: { type: string }) => p.type !== 'row');
const queries: { panel: string; expr: string }[] = panels.flatMap((p: { title: string; targets: { expr: string }[] }) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

function known(series: string): boolean {
  if (defined.has(series)) return true;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return base !== series && (defined.get(base) === 'Histogram' || (defined.get(base) === 'Summary' && !series.endsWith('_bucket')));
}

test('the metric names are read from the code: the gateway and correlator metrics are found', () => {
  expect(defined.get('whp_ingest_accepted_total')).toBe('Counter');
  expect(defined.get('whp_correlator_batch_duration_seconds')).toBe('Histogram');
  expect(defined.get('whp_correlator_consumer_lag')).toBe('Gauge');
  expect(defined.has('whp_gateway_process_resident_memory_bytes')).toBe(true); // a default metric under the gateway's prefix
});

test('the query parser sees the series and only the series', () => {
  expect(seriesIn('histogram_quantile(0.95, sum by (le, route) (rate(whp_x_bucket{route!~"/a|b"}[5m])))')).toEqual(['whp_x_bucket']);
  expect(seriesIn('sum(increase(a_total[1h])) / clamp_min(sum(rate(b_count[1h])), 1e-9)')).toEqual(['a_total', 'b_count']);
  expect(known('whp_correlator_batch_duration_seconds_bucket')).toBe(true);
  expect(known('whp_correlator_consumer_lag_bucket')).toBe(false); // a gauge has no buckets
  expect(known('whp_ingest_acepted_total')).toBe(false);
});

test('every panel has queries, and every query uses only metrics the code defines', () => {
  expect(panels.length).toBeGreaterThan(5);
  for (const p of panels) expect({ panel: p.title, targets: p.targets.length > 0 }).toEqual({ panel: p.title, targets: true });
  const unknown = queries.flatMap((q) => seriesIn(q.expr).filter((s) => !known(s)).map((s) => `${q.panel}: ${s}`));
  expect(unknown).toEqual([]);
  for (const q of queries) expect(seriesIn(q.expr).length).toBeGreaterThan(0);
});

test('the dashboard covers ingest per department, gateway latency, lag, outbox, batches and sweeps', () => {
  const used = new Set(queries.flatMap((q) => seriesIn(q.expr).map((s) => s.replace(/_(bucket|sum|count)$/, ''))));
  for (const name of [
    'whp_ingest_accepted_total',
    'whp_ingest_rejected_total',
    'whp_ingest_corrected_total',
    'whp_gateway_request_duration_seconds',
    'whp_correlator_events_total',
    'whp_correlator_batch_duration_seconds',
    'whp_correlator_sweep_duration_seconds',
    'whp_correlator_consumer_lag',
    'whp_correlator_outbox_backlog',
  ]) {
    expect({ name, used: used.has(name) }).toEqual({ name, used: true });
  }
  const perDepartment = queries.filter((q) => /whp_ingest_(accepted|rejected|corrected)_total/.test(q.expr) && /by \([^)]*department/.test(q.expr));
  expect(perDepartment.length).toBeGreaterThanOrEqual(3);
});

test('labels a query groups by are labels of its metrics', () => {
  // The label names as the code declares them, from the metric objects the services create.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createMetrics } = require('../../services/ingest-gateway/metrics');
  const { createCorrelatorMetrics } = require('../../services/correlator/ops');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const labels = new Map<string, string[]>();
  for (const m of [...createMetrics().registry.getMetricsAsArray(), ...createCorrelatorMetrics().registry.getMetricsAsArray()]) {
    labels.set(m.name, [...((m as unknown as { labelNames: string[] }).labelNames ?? []), ...(m.constructor.name === 'Histogram' ? ['le'] : [])]);
  }
  for (const q of queries) {
    const grouped = [...q.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
    const metrics = seriesIn(q.expr).map((s) => (labels.has(s) ? s : s.replace(/_(bucket|sum|count)$/, '')));
    for (const label of grouped) {
      for (const metric of metrics) expect({ query: q.expr, metric, label, ok: labels.get(metric)?.includes(label) }).toEqual({ query: q.expr, metric, label, ok: true });
    }
  }
});
