/**
 * The Kuaidi100 (快递100) tracking protocol, as both sides of it speak it: the `poll` subscription
 * request and the push (回调) a subscribed parcel gets. Pure functions and shapes; the HTTP lives in
 * routes and in the client.
 *
 * Subscription: `POST <poll URL>`, form fields `schema=json` and
 * `param={"company","number","key","from","to","parameters":{"callbackurl","salt","resultv2"}}`;
 * answer `{"result":true,"returnCode":"200","message":"提交成功"}` (501: already subscribed).
 * Push: `POST <callbackurl>`, form fields `param` (JSON: `status`, `message`, `lastResult{state,
 * ischeck, com, nu, data[{context, time, ftime, status, areaName}]}`) and `sign` = upper-case hex
 * MD5(param + salt); answered `{"result":true,"returnCode":"200","message":"成功"}`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type TrackingCode, trackingCodes } from './states.js';

export const PUSH_PATH = '/api/v1/hooks/kuaidi100';
export const PUSH_ACCEPTED = { result: true, returnCode: '200', message: '成功' } as const;

/** sign = upper-case hex MD5(param + salt). */
export function pushSign(param: string, salt: string): string {
  return createHash('md5').update(param + salt, 'utf8').digest('hex').toUpperCase();
}

export function isValidPushSign(param: string, salt: string, sign: string): boolean {
  const expected = Buffer.from(pushSign(param, salt));
  const given = Buffer.from(sign.trim().toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Each parcel gets its own salt, derived from a secret and the parcel's (com, nu): a leaked salt
 * forges pushes for one parcel only, and verifying needs no lookup.
 */
export function saltFor(secret: string, com: string, nu: string): string {
  return createHmac('sha256', secret).update(`${com}:${nu}`).digest('hex').slice(0, 32);
}

const code = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);

export const pushEventSchema = z.object({
  context: z.string().max(2000),
  time: z.string().max(40),
  ftime: z.string().max(40).optional(),
  status: z.string().max(20).optional(),
  statusCode: code.optional(),
  areaName: z.string().max(200).nullish(),
  areaCode: z.string().max(40).nullish(),
});
export type PushEvent = z.infer<typeof pushEventSchema>;

export const pushParamSchema = z.object({
  /** polling: monitoring; shutdown: finished (签收 or ended); abort: given up; updateall: re-push. */
  status: z.string().max(20),
  billstatus: z.string().max(40).optional(),
  message: z.string().max(500).optional(),
  autoCheck: z.union([z.string(), z.number()]).optional(),
  comOld: z.string().optional(),
  comNew: z.string().optional(),
  lastResult: z.object({
    message: z.string().max(500).optional(),
    state: code.optional(),
    status: z.string().max(20).optional(),
    condition: z.string().max(20).optional(),
    ischeck: code.optional(),
    com: z.string().min(1).max(40),
    nu: z.string().min(1).max(40),
    data: z.array(pushEventSchema).max(500),
  }),
});
export type PushParam = z.infer<typeof pushParamSchema>;

const textCodes = new Map<string, TrackingCode>(Object.entries(trackingCodes).map(([k, v]) => [v, Number(k) as TrackingCode]));

/**
 * A Kuaidi100 code to its main state: the main codes themselves; the `resultv2` sub-states
 * (101 已下单, 1001 到达派件城市, 301 本人签收, 1401 …) to the state they refine.
 */
export function mainCode(value: number | undefined): TrackingCode | undefined {
  if (value === undefined || !Number.isInteger(value) || value < 0) return undefined;
  const main = value < 100 ? value : value >= 1000 && value < 1100 ? 0 : value >= 1400 && value < 1500 ? 14 : Math.floor(value / 100);
  return main in trackingCodes ? (main as TrackingCode) : undefined;
}

/** The state of one event: its statusCode, else its status words (在途, 签收 …). */
export function codeOfEvent(event: Pick<PushEvent, 'status' | 'statusCode'>): TrackingCode | undefined {
  return mainCode(event.statusCode) ?? (event.status ? textCodes.get(event.status.trim()) : undefined);
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** Kuaidi100 times are Beijing wall-clock times, `2026-01-02 13:04:05`. */
export function parseChinaTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - CHINA_OFFSET_MS;
  return Number.isNaN(utc) ? undefined : new Date(utc);
}

export function formatChinaTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The `param` of a poll subscription. */
export type PollParam = {
  company: string;
  number: string;
  key: string;
  from?: string;
  to?: string;
  parameters: { callbackurl: string; salt: string; resultv2: '1' | '0'; phone?: string };
};

export const pollParamSchema = z.object({
  company: z.string().min(1).max(40),
  number: z.string().min(1).max(40),
  key: z.string().min(1).max(100),
  from: z.string().max(100).optional(),
  to: z.string().max(100).optional(),
  parameters: z.object({
    callbackurl: z.url(),
    salt: z.string().max(64).optional(),
    resultv2: z.string().optional(),
    phone: z.string().max(20).optional(),
  }),
});

export const pollAnswerSchema = z.object({ result: z.boolean(), returnCode: z.union([z.string(), z.number()]).transform(String), message: z.string().optional() });
