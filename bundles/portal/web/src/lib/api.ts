// The only way the portal talks to the platform: same-origin fetch with the session cookie, and the CSRF token
// from login (or /auth/me) on every write.

/** An error answer of the API: body {code, message, details} (older bodies may say "error" instead of "code"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function getCsrfToken() {
  return csrfToken;
}

/** Called when a request answers 401 so the app can return to the sign-in page. */
export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function queryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Turns a non-2xx response into an ApiError, whatever its body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> | null = null;
  const text = await response.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const code = String(body?.code ?? body?.error ?? `HTTP_${response.status}`);
  const message = String(body?.message ?? (text && !body ? text.slice(0, 300) : response.statusText));
  const details = (body?.details as Record<string, unknown>) ?? {};
  if (body?.received !== undefined) details.received = body.received;
  return new ApiError(response.status, code, message, details);
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  raw?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', (e as Error).message);
  }
  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 401 && !path.endsWith('/auth/login') && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return (await response.json()) as T;
  return (await response.text()) as unknown as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown, query?: Query) => request<T>('PUT', path, { body: body ?? {}, query }),
  del: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};

export const enc = encodeURIComponent;
