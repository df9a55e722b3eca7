/** Calls to the portal's API with the session cookie; errors carry the portal's Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith('/session')) window.dispatchEvent(new Event('whp-signed-out'));
    throw new ApiError(res.status, (body as { message?: string }).message ?? `请求失败（${res.status}）`);
  }
  return body as T;
}

export const qs = (params: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface Session {
  department: string;
  departmentName: string;
  tokenLabel: string;
  expiresAt?: string;
}

/**
 * An instrument's report (浮动费率, 双随机计划, 命中率): the portal answers 202 with Retry-After
 * while the reporter builds it; ask again a few times before giving up, in Chinese.
 */
export async function report<T>(path: string, tries = 6): Promise<T> {
  for (let i = 0; ; i++) {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const body = await res.json().catch(() => ({}));
    if (res.status === 202 && i < tries) {
      const wait = Math.min(10, Math.max(1, Number(res.headers.get('retry-after')) || 3));
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (res.status === 401) window.dispatchEvent(new Event('whp-signed-out'));
    if (res.status !== 200) throw new ApiError(res.status, (body as { message?: string }).message ?? `请求失败（${res.status}）`);
    return body as T;
  }
}

/** Page size choices every paged console table offers. */
export const PAGINATION = { defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] };

/**
 * A ProTable `request` over a paged portal route: the table's page and filters become
 * `limit`/`offset` and query parameters, the answer's `rows`/`total` the table's data; a refusal
 * shows the portal's message. `fetchAnswer` is `api` or `report`; `onAnswer` keeps the rest.
 */
export function pagedRequest<A extends { rows: R[]; total: number }, R>(
  path: string,
  filters: (params: Record<string, unknown>) => Record<string, string | undefined>,
  onAnswer: (a: A) => void,
  fetchAnswer: (path: string) => Promise<A> = api<A>,
) {
  return async (params: Record<string, unknown> & { current?: number; pageSize?: number }) => {
    const { current = 1, pageSize = PAGINATION.defaultPageSize } = params;
    try {
      const a = await fetchAnswer(`${path}${qs({ ...filters(params), limit: pageSize, offset: (Number(current) - 1) * Number(pageSize) })}`);
      onAnswer(a);
      return { data: a.rows, total: a.total, success: true };
    } catch (e) {
      return { data: [] as R[], total: 0, success: false, errorMessage: (e as Error).message };
    }
  };
}
