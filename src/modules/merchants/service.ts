import { type Actor, appendFlowEvent } from '../../platform/events.js';
import type { Clock } from '../../platform/clock.js';
import { type Db, isUniqueViolation, type Tx } from '../../platform/db.js';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import type { IdentityService } from '../identity/index.js';
import * as repo from './repo.js';
import { type MerchantEvent, merchantMachine, type MerchantState } from './states.js';

export type StoreProfile = {
  name: string;
  contactName: string;
  contactMobile: string;
  contactEmail: string;
  creditCode: string;
  description?: string;
  logoUrl?: string | null;
};

export type MerchantsDeps = { db: Db; clock: Clock; identity: Pick<IdentityService, 'findByLogin' | 'usersByIds' | 'rolesChanged'> };

export function createMerchantsService(deps: MerchantsDeps) {
  const { db, clock } = deps;
  // In-process listeners told right after a store's state commits (e.g. read caches that must
  // drop a suspended store's products at once); other processes learn it from the flow log.
  const stateListeners: ((merchantId: string, state: MerchantState) => void)[] = [];

  async function assertNameFree(name: string, exceptId?: string) {
    const holder = await repo.findMerchantByName(db, name);
    if (holder && holder.id !== exceptId) throw conflict('store_name_taken', 'A store with this name already exists');
  }

  /** Moves a store through its state machine; `changes` are written with the new state. */
  async function move(merchantId: string, event: MerchantEvent, actor: Actor, changes: Partial<repo.MerchantRow> = {}, afterMove?: (tx: Tx, merchant: repo.MerchantRow) => Promise<void>) {
    const merchant = await repo.findMerchant(db, merchantId);
    if (!merchant) throw notFound('Store');
    const at = clock.now();
    await db.transaction(async (tx) => {
      await transition(tx, merchantMachine, {
        objectId: merchantId,
        from: merchant.state,
        event,
        actor,
        at,
        data: changes.stateReason ? { reason: changes.stateReason } : undefined,
        apply: (to) => repo.moveMerchant(tx, merchantId, merchant.state, to, { ...changes, updatedAt: at }),
      });
      await afterMove?.(tx, merchant);
    });
    const moved = (await repo.findMerchant(db, merchantId))!;
    // Staff hold the merchant role while the store is active or suspended.
    await deps.identity.rolesChanged((await repo.listStaff(db, merchantId)).map((s) => s.userId));
    for (const listener of stateListeners) listener(merchantId, moved.state);
    return moved;
  }

  return {
    onStateChange(listener: (merchantId: string, state: MerchantState) => void) {
      stateListeners.push(listener);
    },

    /** A user applies to open a store; after a rejection the same application is fixed and resubmitted. */
    async apply(userId: string, profile: StoreProfile) {
      const membership = await repo.findStaffMembership(db, userId);
      if (membership) throw conflict('already_merchant', 'You already work for a store');
      const latest = await repo.findLatestOfApplicant(db, userId);
      if (latest && latest.state === 'applied') throw conflict('application_pending', 'Your application is being reviewed');
      await assertNameFree(profile.name, latest?.state === 'rejected' ? latest.id : undefined);
      const actor: Actor = { kind: 'user', id: userId };
      const at = clock.now();
      const fields = { ...profile, description: profile.description ?? '', logoUrl: profile.logoUrl ?? null };
      if (latest?.state === 'rejected') return move(latest.id, 'resubmit', actor, { ...fields, stateReason: null });
      return db.transaction(async (tx) => {
        const merchant = await repo
          .insertMerchant(tx, { id: newId('merchant'), state: merchantMachine.initial, applicantUserId: userId, ...fields, createdAt: at, updatedAt: at })
          .catch((err: unknown) => {
            if (isUniqueViolation(err)) throw conflict('store_name_taken', 'A store with this name already exists');
            throw err;
          });
        await appendFlowEvent(tx, { type: 'merchant.apply', objectType: 'merchant', objectId: merchant.id, actor, occurredAt: at, related: [{ type: 'user', id: userId, qualifier: 'applicant' }] });
        return merchant;
      });
    },

    async applicationOf(userId: string) {
      const latest = await repo.findLatestOfApplicant(db, userId);
      if (!latest) throw notFound('Application');
      return latest;
    },

    async approve(merchantId: string, adminId: string) {
      return move(merchantId, 'approve', { kind: 'user', id: adminId }, { approvedAt: clock.now(), stateReason: null }, async (tx, merchant) => {
        await repo.insertStaff(tx, { merchantId, userId: merchant.applicantUserId, role: 'owner', addedAt: clock.now() }).catch((err: unknown) => {
          if (isUniqueViolation(err)) throw unprocessable('applicant_already_merchant', 'The applicant already works for another store');
          throw err;
        });
      });
    },

    reject: (merchantId: string, adminId: string, reason: string) => move(merchantId, 'reject', { kind: 'user', id: adminId }, { stateReason: reason }),
    suspend: (merchantId: string, adminId: string, reason: string) => move(merchantId, 'suspend', { kind: 'user', id: adminId }, { stateReason: reason }),
    reactivate: (merchantId: string, adminId: string) => move(merchantId, 'reactivate', { kind: 'user', id: adminId }, { stateReason: null }),

    async get(merchantId: string) {
      const merchant = await repo.findMerchant(db, merchantId);
      if (!merchant) throw notFound('Store');
      return merchant;
    },

    list: (query: { state?: MerchantState; q?: string; cursor?: string; limit: number }) => pageOf(repo.listMerchants(db, { ...query, limit: query.limit + 1 }), query.limit),

    async updateProfile(merchantId: string, changes: Partial<Omit<StoreProfile, 'creditCode'>>) {
      if (changes.name) await assertNameFree(changes.name, merchantId);
      return repo.updateMerchant(db, merchantId, { ...changes, updatedAt: clock.now() });
    },

    async isActive(merchantId: string) {
      return (await repo.findMerchant(db, merchantId))?.state === 'active';
    },

    /** The active stores, of all or of those named (one query). */
    async activeMerchantIds(among?: readonly string[]) {
      return new Set(await repo.idsInState(db, 'active', among));
    },

    async staff(merchantId: string) {
      const rows = await repo.listStaff(db, merchantId);
      const users = new Map((await deps.identity.usersByIds(rows.map((r) => r.userId))).map((u) => [u.id, u]));
      return rows.map((r) => ({ userId: r.userId, role: r.role, addedAt: r.addedAt, name: users.get(r.userId)?.name ?? '', email: users.get(r.userId)?.email ?? null, mobile: users.get(r.userId)?.mobile ?? null }));
    },

    /** The owner invites an existing account (by email or mobile) as an operator. */
    async addOperator(merchantId: string, login: string) {
      const user = await deps.identity.findByLogin(login);
      if (!user) throw unprocessable('user_not_found', 'No account has this email or mobile; ask them to register first');
      if (await repo.findStaffMembership(db, user.id)) throw conflict('already_merchant', 'This account already works for a store');
      await repo.insertStaff(db, { merchantId, userId: user.id, role: 'operator', addedAt: clock.now() }).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw conflict('already_merchant', 'This account already works for a store');
        throw err;
      });
      await deps.identity.rolesChanged([user.id]);
      return user;
    },

    async removeOperator(merchantId: string, userId: string) {
      if (!(await repo.deleteStaff(db, merchantId, userId, 'operator'))) throw notFound('Operator');
      await deps.identity.rolesChanged([userId]);
    },

    /** For identity: store staff hold the `merchant` role while their store is active or suspended. */
    async isStaff(userId: string) {
      const membership = await repo.findStaffMembership(db, userId);
      return membership !== undefined && (membership.merchant.state === 'active' || membership.merchant.state === 'suspended');
    },

    async membership(userId: string) {
      const membership = await repo.findStaffMembership(db, userId);
      if (!membership) throw forbidden('You do not work for a store', 'not_merchant');
      return membership;
    },
  };
}

export type MerchantsService = ReturnType<typeof createMerchantsService>;

async function pageOf<T extends { id: string }>(rows: Promise<T[]>, limit: number) {
  const all = await rows;
  const items = all.slice(0, limit);
  return { items, nextCursor: all.length > limit ? items[items.length - 1]!.id : null };
}
