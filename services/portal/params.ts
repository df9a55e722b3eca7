import { Request, Response } from 'express';
import { Department } from '../shared/contract';
import { HubError } from '../shared/errors';

/** Query parameters of the read API, checked once, refused in Chinese. */
export const API = '/api/v1';
export const MAX_LIMIT = 1000;

/** The authenticated department of a request under /api/v1. */
export function viewerOf(res: Response): Department {
  return res.locals.department as Department;
}

export function param(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new HubError('BAD_REQUEST', `查询参数 ${name} 只能出现一次`, { parameter: name });
  return v.trim();
}

export function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = param(req, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HubError('BAD_REQUEST', `查询参数 ${name} 应为 ${min}–${max} 之间的整数，实际为“${raw}”`, { parameter: name });
  }
  return n;
}

export function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: T): T;
export function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: undefined): T | undefined;
export function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
  const raw = param(req, name);
  if (raw === undefined) return fallback;
  // Case does not matter: status=open and department=HEALTH are meant as OPEN and health.
  const v = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (v === undefined) {
    throw new HubError('BAD_REQUEST', `查询参数 ${name} 应为 ${allowed.join('、')} 之一，实际为“${raw}”`, { parameter: name });
  }
  return v;
}

/** limit (1–1000, default 100) and offset. */
export function pageParams(req: Request): { limit: number; offset: number } {
  return { limit: intParam(req, 'limit', 100, 1, MAX_LIMIT), offset: intParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER) };
}
