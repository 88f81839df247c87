/**
 * The Kuaidi100 client: each new parcel is subscribed (`poll`) so its tracking is pushed to us.
 * The request goes out after the shipping transaction commits; `shipments.subscribe_next_at` is the
 * outbox (a deadline column), retried with backoff by the scheduler until the carrier feed accepts.
 * A lease (the column moved forward) keeps two processes from sending the same request.
 */
import { type PollParam, pollAnswerSchema, PUSH_PATH, saltFor } from './kuaidi100.js';
import type { Core } from './ports.js';
import * as repo from './repo.js';

export const SANDBOX_POLL_PATH = '/api/v1/sandbox/kuaidi100/poll';
const BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000];
const LEASE_MS = 30_000;

export function createSubscriptions(core: Core) {
  const { db, clock, settings, orders } = core;

  async function attempt(parcel: repo.ShipmentRow): Promise<boolean> {
    const base = settings.callbackBaseUrl ?? core.baseUrl();
    const pollUrl = settings.pollUrl ?? (core.baseUrl() ? `${core.baseUrl()!.replace(/\/$/, '')}${SANDBOX_POLL_PATH}` : undefined);
    let error: string | undefined;
    let duplicate = false;
    if (!base || !pollUrl) error = 'no callback or poll URL yet (server not listening)';
    else {
      const order = await orders.findOrder(db, parcel.orderId);
      const a = order?.address;
      const param: PollParam = {
        company: parcel.carrier,
        number: parcel.trackingNumber,
        key: settings.key,
        ...(a ? { to: `${a.provinceName}${a.cityName === a.provinceName ? '' : a.cityName}${a.districtName}` } : {}),
        parameters: {
          callbackurl: `${base.replace(/\/$/, '')}${PUSH_PATH}`,
          salt: saltFor(settings.saltSecret, parcel.carrier, parcel.trackingNumber),
          resultv2: '1',
          // 顺丰 asks for the recipient's phone to show the route.
          ...(a && parcel.carrier === 'shunfeng' ? { phone: a.mobile } : {}),
        },
      };
      try {
        const res = await fetch(pollUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ schema: 'json', param: JSON.stringify(param) }).toString(),
          signal: AbortSignal.timeout(10_000),
        });
        const answer = pollAnswerSchema.safeParse(await res.json().catch(() => undefined));
        if (!answer.success) error = `HTTP ${res.status}, not a poll answer`;
        else if (answer.data.returnCode === '501') duplicate = true; // 重复订阅: it is subscribed
        else if (!answer.data.result || answer.data.returnCode !== '200') error = `${answer.data.returnCode} ${answer.data.message ?? ''}`.trim();
      } catch (err) {
        error = (err as Error).message;
      }
    }
    const now = clock.now();
    if (!error) {
      await repo.updateShipment(db, parcel.id, { subscription: 'subscribed', subscribeNextAt: null, subscribeError: duplicate ? 'already subscribed' : null, updatedAt: now });
      return true;
    }
    const delay = BACKOFF_MS[parcel.subscribeAttempts - 1];
    core.log.warn({ shipment: parcel.id, attempts: parcel.subscribeAttempts, error }, 'kuaidi100 subscription not accepted');
    await repo.updateShipment(db, parcel.id, {
      subscribeError: error,
      subscribeNextAt: delay === undefined ? null : new Date(now.getTime() + delay),
      ...(delay === undefined ? { subscription: 'failed' as const } : {}),
      updatedAt: now,
    });
    return false;
  }

  return {
    /** Sends the due subscriptions (all due, or just these parcels); resolves to how many succeeded. */
    async subscribeDue(now: Date, ids?: readonly string[]): Promise<number> {
      const leased = await repo.leaseSubscriptions(db, now, new Date(now.getTime() + LEASE_MS), 20, ids);
      let done = 0;
      for (const parcel of leased) if (await attempt(parcel)) done += 1;
      return done;
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
