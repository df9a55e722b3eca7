import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { EVENT_TYPES, OUTPUT_TYPES } from './contract';
import { avroType, readSchema } from './avro';
import { avroToJsonSchema } from './avroJsonSchema';

/**
 * The converter against avsc itself: a random value of each topic's schema, through the Avro
 * encoding and back (the hub's logical types make dates ISO strings), fits the JSON Schema;
 * a value avsc would refuse does not.
 */
const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
addFormats(ajv);

describe('Avro record → JSON Schema', () => {
  test.each([...EVENT_TYPES, ...OUTPUT_TYPES])('%s: values avsc makes fit the schema', (type) => {
    const schema = readSchema(type);
    const t = avroType(schema);
    const validate = ajv.compile(avroToJsonSchema(schema));
    for (let i = 0; i < 20; i++) {
      const value = t.fromBuffer(t.toBuffer(t.random()));
      // As JSON: the hub's logical types make dates and timestamps ISO strings.
      const json = JSON.parse(JSON.stringify(value));
      if (!validate(json)) throw new Error(`${type}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(json).slice(0, 300)}`);
    }
  });

  test('a missing required field, a wrong enum symbol and a wrong type are refused', () => {
    const schema = readSchema('hazard');
    const t = avroType(schema);
    const validate = ajv.compile(avroToJsonSchema(schema));
    const good = JSON.parse(JSON.stringify(t.fromBuffer(t.toBuffer(t.random())))) as Record<string, unknown>;
    expect(validate(good)).toBe(true);
    const { eventId: _drop, ...missing } = good;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...good, limitType: 'PC-TWA' })).toBe(false); // the Avro symbol is PC_TWA
    expect(validate({ ...good, measured: '2.4' })).toBe(false);
    expect(validate({ ...good, sampledAt: '2026/3/1' })).toBe(false);
    expect(validate({ ...good, unknown: 1 })).toBe(false);
  });

  test('a nullable field keeps its description and takes null', () => {
    const s = avroToJsonSchema({ type: 'record', name: 'R', fields: [{ name: 'uscc', type: ['null', 'string'], default: null, doc: '统一社会信用代码' }] });
    expect(s).toEqual({
      type: 'object',
      properties: { uscc: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, description: '统一社会信用代码' } },
      required: [],
      additionalProperties: false,
    });
  });
});
