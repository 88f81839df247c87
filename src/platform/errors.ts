/**
 * Errors are values with a stable `code`; one handler (platform/http.ts) maps them to HTTP.
 * The UI translates codes, so messages here are for developers and logs.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthenticated = (message = 'Log in first') =>
  new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You may not do this', code = 'forbidden') =>
  new AppError(403, code, message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const tooManyRequests = (code: string, retryAfterSeconds: number) =>
  new AppError(429, code, `Too many requests, retry in ${retryAfterSeconds}s`, { retryAfterSeconds }, {
    'retry-after': String(retryAfterSeconds),
  });
