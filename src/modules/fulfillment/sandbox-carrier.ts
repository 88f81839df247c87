/**
 * The sandbox carrier: a protocol-level fake of Kuaidi100 and of a courier behind it, for the demo
 * and the tests. It answers `poll` subscriptions at `/api/v1/sandbox/kuaidi100/poll` like Kuaidi100
 * does, and for parcels of the `sandbox` carrier it plays a realistic journey — 揽收 → 在途 … → 派件
 * → 签收, between Chinese cities — over `SANDBOX_CARRIER_SPAN_MS`, pushing each step to the
 * subscriber's callback URL over HTTP, form-encoded and signed with the subscriber's salt, exactly
 * as the real service pushes. Parcels of other carriers are accepted and stay silent (the real
 * Kuaidi100 would push them).
 *
 * The tracking number's last two digits choose the journey: `…02` ends 疑难 (no one at the door),
 * `…04` ends 退签 (returned), `…14` ends 拒签 (refused); anything else is signed for.
 *
 * Its subscriptions live in its own table, as a real provider keeps them on its side, so every app
 * process plays the same carrier; `next_push_at` is the deadline column (swept by the scheduler,
 * hurried by an in-process timer), leased by moving it forward.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { postWebhook } from '../../platform/webhook.js';
import { formatChinaTime, pollParamSchema, pushSign } from './kuaidi100.js';
import { type SandboxScriptEvent, sandboxCarrierParcels } from './schema.js';

export const SANDBOX_CARRIER = 'sandbox';
const LEASE_MS = 15_000;
const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

type Place = { province: string; city: string; hub: string; district: string };

const ORIGINS: Place[] = [
  { province: '广东省', city: '深圳市', hub: '深圳转运中心', district: '宝安区' },
  { province: '广东省', city: '广州市', hub: '广州转运中心', district: '白云区' },
  { province: '浙江省', city: '金华市', hub: '义乌转运中心', district: '义乌市' },
  { province: '上海市', city: '上海市', hub: '上海转运中心', district: '青浦区' },
  { province: '江苏省', city: '苏州市', hub: '苏州转运中心', district: '吴中区' },
  { province: '福建省', city: '泉州市', hub: '泉州转运中心', district: '晋江市' },
  { province: '北京市', city: '北京市', hub: '北京转运中心', district: '大兴区' },
];
const COURIERS = ['王师傅', '李师傅', '张师傅', '刘师傅', '陈师傅', '杨师傅'];

/** 浙江省杭州市西湖区 → its province, city and district (municipalities are their own city). */
export function parsePlace(text: string | undefined): Omit<Place, 'hub'> {
  const m = /^(.+?(?:省|自治区|特别行政区|市))(.+?(?:自治州|地区|盟|市))?(.+?(?:区|县|旗|市))?/.exec(text ?? '');
  if (!m) return { province: '上海市', city: '上海市', district: '浦东新区' };
  const province = m[1]!;
  const municipality = /市$/.test(province);
  const city = municipality ? province : (m[2] ?? province);
  const district = (municipality ? (m[2] ?? m[3]) : m[3]) ?? '市辖区';
  return { province, city, district };
}

function seeded(text: string): () => number {
  let state = createHash('sha256').update(text).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** The whole journey of a parcel, each step with the time it happens. Pure. */
export function sandboxScript(nu: string, to: string | undefined, start: Date, spanMs: number): SandboxScriptEvent[] {
  const random = seeded(nu);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const dest = parsePlace(to);
  const origin = pick(ORIGINS.filter((o) => o.city !== dest.city));
  const destHub = `${dest.city.replace(/市$/, '')}转运中心`;
  const station = `${dest.district}营业部`;
  const courier = pick(COURIERS);
  const phone = `1${pick(['38', '39', '58', '86'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
  const oArea = `${origin.province === origin.city ? origin.city : origin.province + ',' + origin.city}`;
  const dArea = `${dest.province === dest.city ? dest.city : dest.province + ',' + dest.city}`;
  const steps: Omit<SandboxScriptEvent, 'at'>[] = [
    { code: 1, status: '揽收', areaName: oArea, context: `【${origin.city}】Flowmart 沙箱快递 ${origin.district}营业部 已揽收，揽投员：${pick(COURIERS)}` },
    { code: 0, status: '在途', areaName: oArea, context: `【${origin.city}】快件已到达【${origin.hub}】` },
    { code: 0, status: '在途', areaName: oArea, context: `【${origin.city}】快件已从【${origin.hub}】发出，下一站【${destHub}】` },
    { code: 0, status: '在途', areaName: dArea, context: `【${dest.city}】快件已到达【${destHub}】` },
    { code: 0, status: '在途', areaName: dArea, context: `【${dest.city}】快件已从【${destHub}】发出，下一站【${station}】` },
    { code: 5, status: '派件', areaName: dArea, context: `【${dest.city}】${station} 快递员 ${courier}（${phone}）正在为您派件，请保持电话畅通` },
  ];
  const ending = nu.slice(-2);
  if (ending === '02') steps.push({ code: 2, status: '疑难', areaName: dArea, context: `【${dest.city}】${station} 派件未成功：收件人电话无人接听，快件滞留待联系` });
  else if (ending === '04') steps.push({ code: 4, status: '退签', areaName: oArea, context: `【${origin.city}】快件已退回寄件人并签收，退回原因：地址不详` });
  else if (ending === '14') steps.push({ code: 14, status: '拒签', areaName: dArea, context: `【${dest.city}】收件人拒收快件，快件将退回寄件人` });
  else steps.push({ code: 3, status: '签收', areaName: dArea, context: `【${dest.city}】您的快件已签收，签收人：本人签收。如有疑问请联系快递员 ${courier}（${phone}），感谢使用 Flowmart 沙箱快递` });
  // The first scan comes soon after shipping; the rest spread over the span with a little jitter.
  const last = steps.length - 1;
  return steps.map((step, i) => {
    const share = i === 0 ? 0.04 : 0.04 + (0.96 * (i - 1 + 0.5 + (random() - 0.5) * 0.4)) / last;
    const at = i === last ? start.getTime() + spanMs : start.getTime() + Math.round(spanMs * Math.min(share, 0.98));
    return { ...step, at: new Date(at).toISOString() };
  });
}

/** The `param` of a push carrying the first `count` events of the script. */
export function pushParam(com: string, nu: string, script: SandboxScriptEvent[], count: number): string {
  const events = script.slice(0, count);
  const latest = events[events.length - 1]!;
  const finished = count === script.length && [3, 4, 14].includes(latest.code);
  return JSON.stringify({
    status: finished ? 'shutdown' : 'polling',
    billstatus: finished ? 'check' : 'got',
    message: '',
    autoCheck: '0',
    comOld: '',
    comNew: '',
    lastResult: {
      message: 'ok',
      nu,
      ischeck: latest.code === 3 ? '1' : '0',
      condition: latest.code === 3 ? 'F00' : '00',
      com,
      status: '200',
      state: String(latest.code),
      data: events
        .map((e) => {
          const time = formatChinaTime(new Date(e.at));
          return { context: e.context, time, ftime: time, status: e.status, areaName: e.areaName };
        })
        .reverse(),
    },
  });
}

export type PollAnswer = { result: boolean; returnCode: string; message: string };

export function createSandboxCarrier(deps: { db: Db; clock: Clock; key: string; spanMs: number; log: { warn(obj: object, msg: string): void } }) {
  const { db, clock } = deps;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Hurries the next push of a parcel in this process; the row stays the record. */
  function wake(at: Date, com: string, nu: string) {
    if (closed) return;
    // Timers may fire a little early; a wake that finds nothing due sleeps again until the row's time.
    const timer = setTimeout(async () => {
      timers.delete(timer);
      try {
        if ((await pushDue(clock.now(), [`${com}:${nu}`])) > 0 || closed) return;
        const [row] = await db.select({ nextPushAt: sandboxCarrierParcels.nextPushAt }).from(sandboxCarrierParcels).where(and(eq(sandboxCarrierParcels.com, com), eq(sandboxCarrierParcels.nu, nu)));
        if (row?.nextPushAt) wake(new Date(Math.max(row.nextPushAt.getTime(), clock.now().getTime() + 50)), com, nu);
      } catch (err) {
        deps.log.warn({ err, com, nu }, 'sandbox carrier push failed');
      }
    }, Math.max(0, at.getTime() - clock.now().getTime()) + 5);
    timer.unref();
    timers.add(timer);
  }

  async function attempt(row: typeof sandboxCarrierParcels.$inferSelect, now: Date): Promise<void> {
    const count = row.script.filter((e) => Date.parse(e.at) <= now.getTime()).length;
    if (count === 0 || count <= row.pushedCount) {
      const next = row.script[row.pushedCount];
      await db.update(sandboxCarrierParcels).set({ nextPushAt: next ? new Date(next.at) : null }).where(and(eq(sandboxCarrierParcels.com, row.com), eq(sandboxCarrierParcels.nu, row.nu)));
      if (next) wake(new Date(next.at), row.com, row.nu);
      return;
    }
    const param = pushParam(row.com, row.nu, row.script, count);
    let error: string | undefined;
    try {
      const res = await postWebhook(row.callbackUrl, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ param, sign: pushSign(param, row.salt) }).toString(),
        timeoutMs: 10_000,
      });
      const answer = parsedOrUndefined(res.text) as { result?: unknown; returnCode?: unknown } | undefined;
      if (!res.ok || answer?.result !== true || String(answer.returnCode) !== '200') error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const after = clock.now();
    const where = and(eq(sandboxCarrierParcels.com, row.com), eq(sandboxCarrierParcels.nu, row.nu));
    if (error) {
      const delay = RETRY_MS[Math.min(row.attempts, RETRY_MS.length - 1)]!;
      deps.log.warn({ com: row.com, nu: row.nu, attempts: row.attempts + 1, error }, 'sandbox carrier push not accepted');
      await db.update(sandboxCarrierParcels).set({ attempts: row.attempts + 1, lastError: error, nextPushAt: new Date(after.getTime() + delay) }).where(where);
      wake(new Date(after.getTime() + delay), row.com, row.nu);
      return;
    }
    const next = row.script[count];
    await db.update(sandboxCarrierParcels).set({ pushedCount: count, attempts: 0, lastError: null, nextPushAt: next ? new Date(next.at) : null }).where(where);
    if (next) wake(new Date(next.at), row.com, row.nu);
  }

  /** Pushes what is due (of these `com:nu` parcels, or of all); resolves to how many pushes went out. */
  async function pushDue(now: Date, keys?: readonly string[]): Promise<number> {
    if (closed) return 0;
    const due = db
      .select({ com: sandboxCarrierParcels.com, nu: sandboxCarrierParcels.nu })
      .from(sandboxCarrierParcels)
      .where(and(sql`${sandboxCarrierParcels.nextPushAt} <= ${now}`, keys ? inArray(sql`${sandboxCarrierParcels.com} || ':' || ${sandboxCarrierParcels.nu}`, [...keys]) : undefined))
      .orderBy(asc(sandboxCarrierParcels.nextPushAt))
      .limit(20)
      .for('update', { skipLocked: true });
    const leased = await db
      .update(sandboxCarrierParcels)
      .set({ nextPushAt: new Date(now.getTime() + LEASE_MS) })
      .where(sql`(${sandboxCarrierParcels.com}, ${sandboxCarrierParcels.nu}) in ${due}`)
      .returning();
    for (const row of leased) await attempt(row, now);
    return leased.length;
  }

  return {
    /** `POST /api/v1/sandbox/kuaidi100/poll`: a subscription, answered as Kuaidi100 answers. */
    async poll(form: { schema?: string; param?: string }): Promise<PollAnswer> {
      let json: unknown;
      try {
        json = JSON.parse(form.param ?? '');
      } catch {
        return { result: false, returnCode: '400', message: '提交的数据不完整，或者贵公司没授权' };
      }
      const parsed = pollParamSchema.safeParse(json);
      if (!parsed.success) return { result: false, returnCode: '400', message: '提交的数据不完整，或者贵公司没授权' };
      const p = parsed.data;
      if (p.key !== deps.key) return { result: false, returnCode: '600', message: '您不是合法的订阅者（即授权Key出错）' };
      const now = clock.now();
      const script = p.company === SANDBOX_CARRIER ? sandboxScript(p.number, p.to, now, deps.spanMs) : [];
      const inserted = await db
        .insert(sandboxCarrierParcels)
        .values({ com: p.company, nu: p.number, callbackUrl: p.parameters.callbackurl, salt: p.parameters.salt ?? '', script, nextPushAt: script[0] ? new Date(script[0].at) : null, createdAt: now })
        .onConflictDoNothing()
        .returning({ nu: sandboxCarrierParcels.nu });
      if (inserted.length === 0) return { result: false, returnCode: '501', message: 'POLL:重复订阅' };
      if (script[0]) wake(new Date(script[0].at), p.company, p.number);
      return { result: true, returnCode: '200', message: '提交成功' };
    },
    pushDue,
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type SandboxCarrier = ReturnType<typeof createSandboxCarrier>;

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
