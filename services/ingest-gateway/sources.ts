import { PassThrough, Readable, pipeline } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { HubError } from '../shared/errors';

/**
 * Streaming readers of an uploaded file: rows come out one at a time while the body is still
 * arriving, so a 200,000-row report never sits in memory whole.
 */
export interface FileRow {
  /** Spreadsheet row number (1 = the first line of the file, or of its sheet). */
  row: number;
  cells: unknown[];
  /** XLSX: the worksheet's position in the workbook (1 = first); a CSV is one sheet. */
  sheet?: number;
}

export type FileFormat = 'csv' | 'xlsx';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** XLSX by its ZIP magic bytes or Content-Type; the old binary .xls is refused by name. */
export function detectFormat(contentType: string | undefined, head: Buffer): FileFormat {
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new HubError('UNSUPPORTED_TYPE', '不支持 Excel 97-2003（.xls）格式，请另存为 .xlsx 或 CSV 后再提交');
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (contentType?.toLowerCase().startsWith(XLSX_MIME)) return 'xlsx';
  return 'csv';
}

export type TextEncoding = 'utf8' | 'gb18030';

/** How a person calls the encoding, in rejection reasons. */
export const ENCODING_NAME: Record<TextEncoding, string> = { utf8: 'UTF-8', gb18030: 'GB 18030' };

/**
 * UTF-8 when the start decodes strictly as UTF-8 (an unfinished last character is fine), else
 * GB 18030 (the mandatory national character set, a superset of GBK) — unless the start is
 * overwhelmingly good UTF-8 (at least ten well-formed non-ASCII characters per undecodable
 * byte; GB 18030 text read as UTF-8 gives several undecodable bytes per readable character):
 * a UTF-8 file with one corrupt byte stays UTF-8, and only that row is rejected.
 */
export function detectEncoding(head: Buffer): TextEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    const text = new TextDecoder('utf-8').decode(head.subarray(0, Math.max(0, head.length - 4))); // a character cut at the end is no evidence
    let bad = 0;
    let good = 0;
    for (const ch of text) {
      if (ch === '\ufffd') bad++;
      else if (ch >= '\u0080') good++;
    }
    return good >= 10 * bad ? 'utf8' : 'gb18030';
  }
}

/**
 * Reads the first `bytes` of a stream and gives back the rest as a stream that starts with
 * them again; `limit` bounds the whole body (413 beyond it).
 */
export async function peek(body: AsyncIterable<Buffer>, bytes: number, limit: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(chunks);
  if (size > limit) throw tooLarge(limit);
  async function* rest(): AsyncGenerator<Buffer> {
    let total = head.length;
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      total += r.value.length;
      if (total > limit) throw tooLarge(limit);
      yield r.value;
    }
  }
  return { head, stream: Readable.from(rest(), { objectMode: false }) };
}

export function tooLarge(limit: number): HubError {
  return new HubError('PAYLOAD_TOO_LARGE', `文件过大：超过 ${Math.round(limit / 1024 / 1024)} MB 的上限，请拆分后分批提交`);
}

/**
 * Rows of a CSV. Bytes that cannot be decoded come out as U+FFFD; the gateway rejects such rows
 * (it never stores a replacement character).
 */
export async function* csvRows(stream: Readable, encoding: TextEncoding): AsyncGenerator<FileRow> {
  const parser = parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  // iconv strips the BOM; the decoder makes GB 18030 and UTF-8 alike for the parser.
  pipeline(stream, iconv.decodeStream(encoding), parser, () => {});
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells };
    }
  } catch (err) {
    if (err instanceof HubError) throw err;
    throw new HubError('BAD_REQUEST', `CSV 文件第 ${row + 1} 行附近格式错误：${(err as Error).message}`);
  }
}

/** An exceljs cell value → string | number | boolean | Date | null. */
export function cellValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('result' in o) return cellValue(o.result);
  if ('text' in o) return cellValue(o.text);
  if ('error' in o) return null;
  return null;
}

/**
 * exceljs 4.4 decodes each compressed chunk of the sheet XML on its own, so a Chinese character
 * split across two chunks comes out as U+FFFD (合格 → “合��”, in about 1 row of 15,000). Its
 * SAX feed takes strings as they are, so both feeds (shared strings, worksheets) are handed
 * text decoded by a streaming decoder instead.
 */
function decodeUtf8AcrossChunks(reader: unknown): void {
  const r = reader as {
    _parseWorksheet: (it: AsyncIterable<Buffer | string>, sheetNo: string) => unknown;
    _parseSharedStrings: (entry: Readable) => unknown;
  };
  const parseWorksheet = r._parseWorksheet.bind(r);
  const parseSharedStrings = r._parseSharedStrings.bind(r);
  r._parseWorksheet = (it, sheetNo) => parseWorksheet(utf8Text(it), sheetNo);
  r._parseSharedStrings = (entry) => {
    const text = new PassThrough();
    text.setEncoding('utf8'); // StringDecoder keeps a split character for the next chunk
    entry.on('error', (err) => text.destroy(err));
    return parseSharedStrings(entry.pipe(text));
  };
}

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks) {
    const s = typeof c === 'string' ? c : decoder.decode(c, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * How far an XLSX may inflate: `floorBytes` plus `ratio` times the compressed bytes read so far.
 * Spreadsheets compress 5–30 times; a zip bomb (a small file whose entry inflates to gigabytes)
 * 1000 times. exceljs writes a worksheet that comes before the shared strings to a temporary
 * file and keeps shared strings in memory, so without a bound a bomb fills the disk or the heap.
 */
export interface InflateLimit {
  floorBytes: number;
  ratio: number;
}

/** How long the reader may produce nothing once the whole upload is in before the file is refused. */
export const XLSX_STALL_MS = 10_000;

export const DEFAULT_INFLATE_LIMIT: InflateLimit = { floorBytes: 64 * 1024 * 1024, ratio: 100 };

export function inflateTooLarge(inflated: number, compressed: number, limit: InflateLimit): HubError {
  return new HubError(
    'PAYLOAD_TOO_LARGE',
    `XLSX 文件解压后的内容过大：上传 ${(compressed / 1024 / 1024).toFixed(1)} MB，解压已超过 ${Math.round(inflated / 1024 / 1024)} MB（上限为上传大小的 ${limit.ratio} 倍另加 ${Math.round(limit.floorBytes / 1024 / 1024)} MB），疑似压缩炸弹，未继续读取；请检查文件，或另存为 CSV 后提交`,
    { inflatedBytes: inflated, uploadedBytes: compressed },
  );
}

/** What a stream piped into exceljs's unzipper carries: the zip entries it pushes (PassThrough streams). */
type ZipEntry = Readable & { path: string; _transform: (chunk: Buffer, enc: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void) => void };

/**
 * Counts the bytes every zip entry inflates to, as the unzipper inside exceljs produces them,
 * and stops at the limit: the entry fails (so whatever reads it stops) and `trip` is told; so
 * is a zip that fails to inflate.
 * exceljs does not expose its unzipper; it pipes the upload into it, so the pipe is the hook.
 */
function watchInflation(input: Readable, limit: InflateLimit, compressed: () => number, trip: (e: HubError) => void, progress: () => void): void {
  let inflated = 0;
  let tripped = false;
  const pipe = input.pipe.bind(input);
  input.pipe = (<T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }) => {
    const zip = dest as unknown as { push: (chunk: unknown, enc?: BufferEncoding) => boolean; on: (ev: 'error', f: (e: Error) => void) => void };
    // A corrupt deflate stream fails the unzipper, but exceljs waits on the entry, which then never
    // ends: without this the request hangs (found by the fuzz run: two flipped bytes).
    zip.on('error', (e) => trip(new HubError('BAD_REQUEST', `XLSX 文件无法读取：压缩数据已损坏（${e.message}），请重新导出文件后提交`)));
    const push = zip.push.bind(zip);
    zip.push = (chunk, enc) => {
      const entry = chunk as ZipEntry | null;
      if (entry && typeof entry === 'object' && typeof entry.path === 'string' && typeof entry._transform === 'function') {
        entry.on('error', () => {}); // an entry exceljs pipes to a temp file has no error listener of its own
        const transform = entry._transform.bind(entry);
        entry._transform = (data, encoding, cb) => {
          inflated += data.length;
          progress();
          if (!tripped && inflated > limit.floorBytes + limit.ratio * compressed()) {
            tripped = true;
            const err = inflateTooLarge(inflated, compressed(), limit);
            trip(err);
            cb(err);
            return;
          }
          if (tripped) return cb();
          transform(data, encoding, cb);
        };
      }
      return push(chunk, enc);
    };
    return pipe(dest, opts);
  }) as typeof input.pipe;
}

/**
 * The rows of every worksheet in workbook order, each with its sheet's position: staff keep
 * 填表说明 on the first sheet and the data on the second, and the gateway reads the first sheet
 * that has the header row (the others are read past: the body must be consumed).
 */
export async function* xlsxRows(stream: Readable, limit: InflateLimit = DEFAULT_INFLATE_LIMIT): AsyncGenerator<FileRow> {
  let compressed = 0;
  let uploadEnded = false;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const c of stream) {
      compressed += (c as Buffer).length;
      yield c as Buffer;
    }
    uploadEnded = true;
  }
  const input = Readable.from(counted(), { objectMode: false });
  // Whatever exceljs is waiting for when the limit trips (a temp file, an entry) may never end:
  // every wait below ends with the trip's error instead. (Not Promise.race against one long-lived
  // promise: each race would leave a reaction on it holding its row, and 200,000 rows fill the heap.)
  let tripped: HubError | null = null;
  let failWait: ((e: HubError) => void) | null = null;
  const trip = (e: HubError) => {
    tripped ??= e;
    failWait?.(e);
  };
  // Last resort against a zip exceljs waits on for ever: the whole upload is in, and neither a
  // row nor an inflated byte comes (a large workbook spends a while unpacking before its first row).
  let waitingSince: number | null = null;
  let lastProgress = Date.now();
  const watchdog = setInterval(() => {
    if (uploadEnded && waitingSince !== null && Date.now() - Math.max(waitingSince, lastProgress) > XLSX_STALL_MS) {
      trip(new HubError('BAD_REQUEST', `XLSX 文件无法读取：文件已全部收到，但 ${XLSX_STALL_MS / 1000} 秒内读不出内容，文件结构可能已损坏；请重新导出文件后提交`));
    }
  }, 500);
  watchdog.unref();
  watchInflation(input, limit, () => compressed, trip, () => (lastProgress = Date.now()));
  const race = <T>(p: Promise<T>): Promise<T> => {
    if (tripped) return Promise.reject(tripped);
    waitingSince = Date.now();
    return new Promise<T>((resolve, reject) => {
      failWait = reject;
      p.then(resolve, reject).finally(() => {
        failWait = null;
        waitingSince = null;
      });
    });
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell Excel date cells from plain numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  decodeUtf8AcrossChunks(reader);
  let sheetNo = 0;
  try {
    const sheets = reader[Symbol.asyncIterator]();
    for (;;) {
      const s = await race(sheets.next());
      if (s.done) break;
      sheetNo++;
      const rows = (s.value as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      for (;;) {
        const r = await race(rows.next());
        if (r.done) break;
        const row = r.value as { number: number; values: unknown[] };
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: unknown[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        yield { row: row.number, cells, sheet: sheetNo };
      }
    }
  } catch (err) {
    input.destroy();
    stream.destroy();
    if (err instanceof HubError) throw err;
    throw new HubError('BAD_REQUEST', `XLSX 文件无法读取：${(err as Error).message}`);
  } finally {
    clearInterval(watchdog);
  }
}
