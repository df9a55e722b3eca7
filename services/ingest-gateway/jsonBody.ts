import { isUtf8 } from 'node:buffer';
import { Response } from 'express';
import { HubError } from '../shared/errors';

/**
 * Checks on a JSON request body's raw bytes, before JSON.parse sees them. A record of the contract
 * is a flat object in an array (nesting 2): anything far deeper is not a record, and walking it
 * (validation, the dead letter's scrub and stringify) would overflow the stack. JSON is UTF-8
 * (RFC 8259): bytes that do not decode are refused instead of turning into “\ufffd” in a name.
 */
export const MAX_JSON_DEPTH = 32;

/** The first byte offset where `buf` stops being UTF-8, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  // The native check builds no string: a whole request body is checked without a copy of it.
  if (isUtf8(buf)) return -1;
  // The longest prefix that still decodes (an unfinished last character is allowed), by halving.
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return Math.max(0, lo - 1);
}

/** Deepest nesting of [ and { outside strings; stops counting once past `limit`. */
export function jsonDepth(buf: Buffer, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return max;
}

/** express.json's `verify`: throws a HubError (400, Chinese) for a body that must not be parsed. */
export function checkJsonBody(buf: Buffer, res: Response, encoding?: string): void {
  res.locals.jsonBodyBytes = buf.length;
  if (buf.length === 0) return;
  if (!encoding || encoding.toLowerCase() === 'utf-8' || encoding.toLowerCase() === 'utf8') {
    const at = firstInvalidUtf8(buf);
    if (at >= 0) {
      throw new HubError(
        'BAD_REQUEST',
        `请求体第 ${at + 1} 字节起含有无法按 UTF-8 解码的字节：JSON 请求体应为 UTF-8 编码；GB 18030（GBK）编码的数据请以 CSV 文件提交（POST /v1/files/{type}）`,
      );
    }
  }
  if (jsonDepth(buf) > MAX_JSON_DEPTH) {
    throw new HubError('BAD_REQUEST', `JSON 嵌套超过 ${MAX_JSON_DEPTH} 层：每条记录应为一层的 JSON 对象（字段值为文本、数字或布尔值），请求体为这样的对象或其数组`);
  }
}
