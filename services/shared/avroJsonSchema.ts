/**
 * Avro schema → JSON Schema (2020-12, the dialect of OpenAPI 3.1), for the value of a record as
 * the hub's TypeScript sees it: logical `date` and `timestamp-millis` are ISO strings (avro.ts),
 * a union with null is nullable, an enum is its symbols, `doc` becomes `description`. Pure.
 * Named types (an enum used twice) are expanded where they are referenced.
 */
export type JsonSchema = Record<string, unknown>;

type Avro = string | Avro[] | { type: Avro; [k: string]: unknown };

const PRIMITIVES: Record<string, JsonSchema> = {
  null: { type: 'null' },
  boolean: { type: 'boolean' },
  int: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
  long: { type: 'integer' },
  float: { type: 'number' },
  double: { type: 'number' },
  string: { type: 'string' },
  bytes: { type: 'string', contentEncoding: 'base64' },
};

const LOGICAL: Record<string, JsonSchema> = {
  date: { type: 'string', format: 'date' },
  'timestamp-millis': { type: 'string', format: 'date-time' },
};

function withDoc(schema: JsonSchema, doc: unknown): JsonSchema {
  return typeof doc === 'string' && doc ? { ...schema, description: doc } : schema;
}

function convert(t: Avro, named: Map<string, JsonSchema>, namespace: string | undefined): JsonSchema {
  if (typeof t === 'string') {
    if (PRIMITIVES[t]) return { ...PRIMITIVES[t] };
    const ref = named.get(t) ?? (namespace ? named.get(`${namespace}.${t}`) : undefined);
    if (!ref) throw new Error(`Avro 类型“${t}”未定义`);
    return ref;
  }
  if (Array.isArray(t)) {
    const branches = t.map((b) => convert(b, named, namespace));
    // ['null', X]: X or null, with X's description kept on the outside.
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length === 1 && branches.length === 2) {
      const { description, ...inner } = nonNull[0];
      return withDoc({ anyOf: [inner, { type: 'null' }] }, description);
    }
    return { anyOf: branches };
  }
  const ns = typeof t.namespace === 'string' ? t.namespace : namespace;
  const logical = typeof t.logicalType === 'string' ? LOGICAL[t.logicalType] : undefined;
  if (logical) return withDoc({ ...logical }, t.doc);
  const name = typeof t.name === 'string' ? t.name : undefined;
  const remember = (s: JsonSchema) => {
    if (name) {
      named.set(name, s);
      if (ns && !name.includes('.')) named.set(`${ns}.${name}`, s);
    }
    return s;
  };
  switch (t.type) {
    case 'record': {
      const fields = (t.fields as { name: string; type: Avro; doc?: string; default?: unknown }[]) ?? [];
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const f of fields) {
        const s = convert(f.type, named, ns);
        properties[f.name] = withDoc('default' in f ? { ...s, default: f.default } : s, f.doc ?? s.description);
        if (!('default' in f)) required.push(f.name);
      }
      return remember(withDoc({ type: 'object', properties, required, additionalProperties: false }, t.doc));
    }
    case 'enum':
      return remember(withDoc({ type: 'string', enum: [...(t.symbols as string[])] }, t.doc));
    case 'array':
      return withDoc({ type: 'array', items: convert(t.items as Avro, named, ns) }, t.doc);
    case 'map':
      return withDoc({ type: 'object', additionalProperties: convert(t.values as Avro, named, ns) }, t.doc);
    case 'fixed':
      return remember(withDoc({ type: 'string' }, t.doc));
    default:
      // { "type": "string" } and the like: a primitive written as an object.
      return withDoc(convert(t.type, named, ns), t.doc);
  }
}

export function avroToJsonSchema(schema: unknown): JsonSchema {
  return convert(schema as Avro, new Map(), undefined);
}
