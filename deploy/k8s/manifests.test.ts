import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/**
 * Every Kubernetes manifest under deploy/ validated against the Kubernetes API schemas of the
 * `kubernetes-models` package (no cluster needed), the kustomization against the files beside it,
 * and what the deployment must say (probes, limits, replicas, production) checked on the objects.
 */
const DEPLOY = path.resolve(__dirname, '..');
const ROOT = path.resolve(DEPLOY, '..');

interface Manifest {
  file: string;
  doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const docs: Manifest[] = yamlFiles(DEPLOY).flatMap((file) =>
  YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${path.relative(ROOT, file)}: ${d.errors[0].message}`);
    return { file: path.relative(ROOT, file), doc: d.toJS() };
  }),
).filter((m) => m.doc !== null);
const isManifest = (m: Manifest) => typeof m.doc.apiVersion === 'string' && typeof m.doc.kind === 'string';
const kubernetes = docs.filter((m) => isManifest(m) && m.doc.kind !== 'Kustomization');

/** The model class of an apiVersion/kind in kubernetes-models, or undefined when it has none. */
function modelOf(apiVersion: string, kind: string): (new (o: unknown) => { validate(): void }) | undefined {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}

function validate(doc: Record<string, unknown>): void {
  const Model = modelOf(String(doc.apiVersion), String(doc.kind));
  if (!Model) throw new Error(`no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc).validate();
}

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'broken' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'x' }] } },
  },
};

describe('the validator itself', () => {
  test('accepts a well-formed Deployment and refuses one whose fields have the wrong type', () => {
    expect(() => validate(DEPLOYMENT)).not.toThrow();
    expect(() => validate({ ...DEPLOYMENT, spec: { ...DEPLOYMENT.spec, replicas: 'two' } })).toThrow(/spec\/replicas must be integer/);
    const badLimit = structuredClone(DEPLOYMENT) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    badLimit.spec.template.spec.containers[0].resources = { limits: { memory: '1 GiB' } };
    expect(() => validate(badLimit)).toThrow(/resources\/limits\/memory/);
    const badPort = structuredClone(DEPLOYMENT) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    badPort.spec.template.spec.containers[0].ports = [{ containerPort: '8080' }];
    expect(() => validate(badPort)).toThrow(/containerPort must be integer/);
  });
  test('refuses a kind it has no schema for', () => {
    expect(() => validate({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toThrow(/no Kubernetes schema/);
  });
});

describe('every manifest under deploy/', () => {
  test('there are manifests, and the only YAML that is not one is the Kafka topic plan', () => {
    expect(kubernetes.length).toBeGreaterThan(15);
    expect([...new Set(docs.filter((m) => !isManifest(m)).map((m) => m.file))]).toEqual(['deploy/kafka/topics.yaml']);
  });
  test.each(kubernetes.map((m) => [`${m.file}: ${m.doc.kind} ${m.doc.metadata?.name}`, m] as const))('%s is valid against the Kubernetes schema', (_name, m) => {
    expect(() => validate(m.doc)).not.toThrow();
    if (m.doc.kind !== 'Namespace') expect(m.doc.metadata?.namespace).toBe('whp');
  });
});

describe('the kustomization', () => {
  const k = docs.find((m) => m.doc.kind === 'Kustomization')!;
  const dir = path.dirname(path.join(ROOT, k.file));
  test('lists files that exist, and every manifest beside it except the secret template and one-off jobs', () => {
    const listed: string[] = k.doc.resources;
    for (const r of listed) expect(fs.existsSync(path.join(dir, r))).toBe(true);
    const beside = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...listed].sort()).toEqual(beside.filter((f) => f !== 'secret.template.yaml').sort());
    expect(listed.some((r) => r.startsWith('jobs/'))).toBe(false);
  });
  test('the secret template holds no real secret', () => {
    const secrets = kubernetes.filter((m) => m.doc.kind === 'Secret');
    expect(secrets.map((m) => m.file)).toEqual(['deploy/k8s/secret.template.yaml', 'deploy/k8s/secret.template.yaml']);
    for (const s of secrets) {
      for (const [key, v] of Object.entries<string>(s.doc.stringData)) if (!key.endsWith('_USERNAME')) expect(v).toContain('CHANGE-ME');
    }
    expect(Object.keys(secrets[0].doc.stringData).sort()).toEqual(
      ['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME', 'SCHEMA_REGISTRY_PASSWORD', 'SCHEMA_REGISTRY_USERNAME', 'WHP_PSEUDONYM_KEY'].sort(),
    );
  });
});

describe('what the deployment promises', () => {
  const of = (kind: string, name: string) => kubernetes.find((m) => m.doc.kind === kind && m.doc.metadata.name === name)?.doc;
  const container = (name: string) => of('Deployment', name)!.spec.template.spec.containers[0];
  const bytes = (q: string) => {
    const m = /^(\d+)(Mi|Gi)$/.exec(q);
    if (!m) throw new Error(`unexpected quantity ${q}`);
    return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
  };

  test.each([
    ['whp-gateway', 8080, 'services/ingest-gateway/main.ts'],
    ['whp-portal', 8090, 'services/portal/main.ts'],
    ['whp-reporter', 8060, 'services/reporter/main.ts'],
    ['whp-correlator', 8070, 'services/correlator/main.ts'],
  ])('%s: liveness /healthz and readiness /readyz on port %s, its main.ts, memory ≤ 1 GiB', (name, port, main) => {
    const c = container(name);
    const portOf = (probe: { httpGet: { port: string | number } }) => (typeof probe.httpGet.port === 'number' ? probe.httpGet.port : c.ports.find((p: { name: string }) => p.name === probe.httpGet.port).containerPort);
    expect([c.livenessProbe.httpGet.path, portOf(c.livenessProbe)]).toEqual(['/healthz', port]);
    expect([c.readinessProbe.httpGet.path, portOf(c.readinessProbe)]).toEqual(['/readyz', port]);
    expect(c.command).toContain(main);
    expect(fs.existsSync(path.join(ROOT, main))).toBe(true);
    expect(bytes(c.resources.limits.memory)).toBeLessThanOrEqual(1024 ** 3);
    expect(bytes(c.resources.requests.memory)).toBeLessThanOrEqual(bytes(c.resources.limits.memory));
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'whp-config' } }, { secretRef: { name: 'whp-secrets' } }]);
    expect(of('PodDisruptionBudget', name)).toBeDefined();
    expect(of('Service', name)).toBeDefined();
  });

  test('replicas: gateway 2 or more, reporter exactly one and never two during a rollout, correlator within the input partitions', () => {
    expect(of('Deployment', 'whp-gateway')!.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(of('HorizontalPodAutoscaler', 'whp-gateway')!.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(of('Deployment', 'whp-reporter')!.spec.replicas).toBe(1);
    expect(of('Deployment', 'whp-reporter')!.spec.strategy.type).toBe('Recreate');
    const plan = YAML.parse(fs.readFileSync(path.join(DEPLOY, 'kafka', 'topics.yaml'), 'utf8'));
    const inputPartitions = Math.min(...plan.topics.filter((t: { role: string }) => t.role === 'input').map((t: { partitions?: number }) => t.partitions ?? plan.defaults.partitions));
    const correlators = of('Deployment', 'whp-correlator')!.spec.replicas;
    expect(correlators).toBeGreaterThanOrEqual(2);
    expect(correlators).toBeLessThanOrEqual(inputPartitions);
  });

  test('the ConfigMap runs production with TLS to Kafka, the registry and PostgreSQL, and holds no secret', () => {
    const cm = of('ConfigMap', 'whp-config')!.data;
    expect(cm).toMatchObject({ WHP_ENV: 'production', KAFKA_SSL: 'true', DATABASE_SSL: 'verify-full', WHP_HOST: '0.0.0.0' });
    expect(cm.SCHEMA_REGISTRY_URL).toMatch(/^https:/);
    for (const key of Object.keys(cm)) expect(key).not.toMatch(/PASSWORD|PSEUDONYM_KEY|DATABASE_URL/);
  });

  test('Prometheus scrapes the services that have /metrics', () => {
    for (const [name, port] of [['whp-gateway', '8080'], ['whp-correlator', '8070']]) {
      expect(of('Deployment', name)!.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': port, 'prometheus.io/path': '/metrics' });
    }
  });
});
