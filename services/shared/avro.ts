import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { TopicType } from './contract';

/**
 * Avro logical types as the services see them: `date` ⇄ 'YYYY-MM-DD' and
 * `timestamp-millis` ⇄ ISO 8601 UTC string. Plain strings keep JSON, SQL and Avro in step.
 */
const DAY_MS = 86_400_000;

export class IsoDateType extends avro.types.LogicalType {
  _fromValue(days: number): string {
    return new Date(days * DAY_MS).toISOString().slice(0, 10);
  }
  _toValue(value: unknown): number | undefined {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : Math.round(ms / DAY_MS);
  }
  _resolve(type: avro.Type) {
    if (avro.Type.isType(type, 'int', 'logical:date')) return this._fromValue.bind(this);
    return undefined;
  }
}

export class IsoTimestampType extends avro.types.LogicalType {
  _fromValue(ms: number): string {
    return new Date(ms).toISOString();
  }
  _toValue(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  _resolve(type: avro.Type) {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-millis')) return this._fromValue.bind(this);
    return undefined;
  }
}

export const LOGICAL_TYPES = { date: IsoDateType, 'timestamp-millis': IsoTimestampType };

export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schemas');

export function readSchema(type: TopicType, dir = SCHEMA_DIR): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, `${type}.avsc`), 'utf8'));
}

export function avroType(schema: Record<string, unknown>): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { logicalTypes: LOGICAL_TYPES });
}
