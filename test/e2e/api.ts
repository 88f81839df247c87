// A logged-in API caller for browser tests that set the scene through the HTTP API (the session
// cookie it was given, kept across calls).
export class Caller {
  cookie = '';
  constructor(private readonly base: string) {}

  async call<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
    const init: RequestInit = { method, headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(new URL(pathname, this.base), init);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('fm_session='));
    if (session) this.cookie = session.split(';')[0]!;
    return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
  }

  /** The call's answer; throws on any status from 300 up, with the body in the message. */
  async ok<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.call<T>(method, pathname, body, headers);
    if (res.status >= 300) throw new Error(`${method} ${pathname}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  }

  /** Logs in with a password (the session cookie is kept for the following calls). */
  async logIn(login: string, password: string): Promise<this> {
    await this.ok('POST', '/api/v1/auth/login', { login, password });
    return this;
  }
}
