// The one way the web app talks to the server: same-origin JSON, cookie session.

export interface FieldError {
  path: string;
  message: string;
}

/** A failed API call. `code` is the server's stable error code, or `network_error`/`internal_error`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** Seconds from a Retry-After header (429). */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }

  /** Per-field messages of a `validation_failed` error (`details.fields`), else none. */
  get fieldErrors(): FieldError[] {
    const fields = isRecord(this.details) ? this.details['fields'] : undefined;
    if (!Array.isArray(fields)) return [];
    return fields.filter(
      (f): f is FieldError => isRecord(f) && typeof f['path'] === 'string' && typeof f['message'] === 'string',
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

type Query = Record<string, string | number | null | undefined>;

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  let payload: string | FormData | undefined;
  if (body instanceof FormData) {
    payload = body; // the browser sets the multipart content type with its boundary
  } else if (method !== 'GET') {
    // Unsafe requests always carry a JSON body: the server requires the content type, and
    // an empty body with that type is a parse error.
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause) });
  }

  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => undefined);
  if (response.ok) return data as T;

  const error = isRecord(data) && isRecord(data['error']) ? data['error'] : {};
  const retryAfter = Number(response.headers.get('Retry-After'));
  throw new ApiError({
    status: response.status,
    code: typeof error['code'] === 'string' ? error['code'] : response.status >= 500 ? 'internal_error' : 'generic',
    message: typeof error['message'] === 'string' ? error['message'] : response.statusText,
    details: error['details'],
    requestId: typeof error['requestId'] === 'string' ? error['requestId'] : undefined,
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  /** `headers` for the few calls that need one, e.g. `Idempotency-Key` on checkout. */
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
  put: <T>(path: string, body?: unknown, query?: Query) => request<T>('PUT', withQuery(path, query), body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  /** One file as multipart/form-data in the field `file`. */
  upload: <T>(path: string, file: Blob, filename?: string) => {
    const form = new FormData();
    form.append('file', file, filename);
    return request<T>('POST', path, form);
  },
};
