import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Admin } from 'kafkajs';
import { avroType, readSchema } from '../../services/shared/avro';
import { publishFile } from '../../services/ingest-gateway/client';
import { cellsOf } from '../city/columns';
import { CsvFileWriter, XlsxFileWriter } from '../city/writers';
import { Spread, repeat } from './common';
import { producerPerformance } from './kafkaPerf';
import { enrollmentRow, publishedEnrollment } from './records';

/**
 * Ingest: records per second from request to Kafka acknowledgement, through the JSON endpoint and
 * through large XLSX and CSV files, against Kafka's own ProducerPerformance with the same record
 * count and average record size on the same broker (acks=all).
 */
export interface IngestResult {
  records: number;
  avgRecordBytes: number;
  producerPerformance: Spread;
  json: Spread;
  jsonRatio: number;
  xlsx: { rows: number; seconds: Spread; recordsPerSecond: number };
  csv: { rows: number; seconds: Spread; recordsPerSecond: number };
}

const MAX_PER_REQUEST = 10_000;

async function postJson(gatewayUrl: string, records: unknown[]): Promise<void> {
  const res = await fetch(`${gatewayUrl}/v1/events/enrollment`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-hrss', 'content-type': 'application/json' },
    body: JSON.stringify(records),
  });
  const answer = (await res.json()) as { accepted?: number; message?: string };
  if (res.status !== 200 || answer.accepted !== records.length) throw new Error(`gateway answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
}

/** Average size on the topic of what the gateway publishes for these records (Confluent framing: 5 bytes). */
function averageRecordBytes(run: string, n: number, employers: number): number {
  const type = avroType(readSchema('enrollment'));
  const now = new Date().toISOString();
  let total = 0;
  const sample = Math.min(n, 2000);
  for (let i = 0; i < sample; i++) total += 5 + type.toBuffer(publishedEnrollment(enrollmentRow(run, i, employers), now)).length;
  return Math.round(total / sample);
}

async function writeFile(format: 'xlsx' | 'csv', run: string, rows: number, employers: number): Promise<string> {
  const file = path.join(os.tmpdir(), `whp-bench-${run}.${format}`);
  const w = format === 'xlsx' ? new XlsxFileWriter(file, 'enrollment', new Date('2026-01-01T00:00:00Z')) : new CsvFileWriter(file, 'enrollment');
  for (let i = 0; i < rows; i++) {
    const r = enrollmentRow(run, i, employers);
    const cells = cellsOf({ type: 'enrollment', row: { id: r.eventId, uscc: r.uscc, employerName: r.employerName, regionCode: r.regionCode, personId: r.personId, action: 'ENROLL', effectiveDate: r.effectiveDate, dustExposed: r.dustExposed, projectId: '' } } as never);
    const wait = w.write(cells);
    if (wait) await wait;
  }
  await w.close();
  return file;
}

export async function benchIngest(o: {
  gatewayUrl: string;
  admin: Admin;
  brokers: string;
  partitions: number;
  records: number;
  fileRows: number;
  repeats: number;
  log: (s: string) => void;
}): Promise<IngestResult> {
  const employers = 5_000;
  const avg = averageRecordBytes('size', o.records, employers);
  o.log(`  ProducerPerformance: ${o.records.toLocaleString()} records of ${avg} bytes, acks=all (after one untimed run) …`);
  // A broker just started, and a JVM's first seconds, are not the broker's speed: the first run
  // after the stack came up gave a third of the later ones (41,964 against 116,550–127,226).
  await producerPerformance(o.admin, o.brokers, o.records, avg, o.partitions);
  const perf = await repeat(o.repeats, () => producerPerformance(o.admin, o.brokers, o.records, avg, o.partitions));

  o.log(`  gateway JSON: ${o.records.toLocaleString()} enrollment records in requests of ${MAX_PER_REQUEST.toLocaleString()}, two in flight (after one untimed request) …`);
  // The gateway likewise gets its first request (compilation, connections) before the clock starts.
  await postJson(o.gatewayUrl, Array.from({ length: MAX_PER_REQUEST }, (_, i) => enrollmentRow(`bench-warm-${Date.now()}`, i, employers)));
  const json = await repeat(o.repeats, async (k) => {
    const run = `bench-json-${Date.now()}-${k}`;
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      for (;;) {
        const from = next;
        if (from >= o.records) return;
        next += MAX_PER_REQUEST;
        const batch = [];
        for (let i = from; i < Math.min(from + MAX_PER_REQUEST, o.records); i++) batch.push(enrollmentRow(run, i, employers));
        await postJson(o.gatewayUrl, batch);
      }
    };
    await Promise.all([worker(), worker()]);
    return o.records / ((Date.now() - started) / 1000);
  });

  const file = async (format: 'xlsx' | 'csv') => {
    o.log(`  gateway ${format.toUpperCase()}: one file of ${o.fileRows.toLocaleString()} rows …`);
    const seconds = await repeat(o.repeats, async (k) => {
      const run = `bench-${format}-${Date.now()}-${k}`;
      const f = await writeFile(format, run, o.fileRows, employers);
      try {
        const started = Date.now();
        const answer = await publishFile({ gatewayUrl: o.gatewayUrl, token: 'dev-hrss', type: 'enrollment', file: f });
        if (answer.accepted !== o.fileRows) throw new Error(`${format}: accepted ${answer.accepted} of ${o.fileRows}`);
        return (Date.now() - started) / 1000;
      } finally {
        fs.rmSync(f, { force: true });
      }
    });
    return { rows: o.fileRows, seconds, recordsPerSecond: Math.round(o.fileRows / seconds.median) };
  };
  const xlsx = await file('xlsx');
  const csv = await file('csv');
  return { records: o.records, avgRecordBytes: avg, producerPerformance: perf, json, jsonRatio: json.median / perf.median, xlsx, csv };
}
