/**
 * 商家审核: a store may have its owner approve what staff (operators) submit before the platform
 * sees it. The owner's approval passes the task to the platform, where the rules judge it afresh
 * (the catalog, the store's qualifications and the rules may have changed meanwhile); the owner's
 * rejection is a decision on the listing like any other (catalog `decide`), so the product is
 * rejected with the owner's reason.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { appendFlowEvent } from '../../platform/events.js';
import { transition } from '../../platform/states.js';
import type { ReviewService as CatalogReview } from '../catalog/index.js';
import { RULES_ACTOR } from '../catalog/index.js';
import type { MerchantAccess } from '../merchants/index.js';
import { hitsOf, type Judge, taskRelated } from './gate.js';
import * as repo from './repo.js';
import type { RuleSettingsService } from './rule-settings.js';
import { rejectionReason } from './rules.js';
import { reviewTaskMachine } from './states.js';
import { taskView } from './views.js';

const requireOwner = (access: MerchantAccess) => {
  if (access.role !== 'owner') throw forbidden('Only the store owner may do this', 'owner_only');
};

export function createStoreReview(deps: { db: Db; clock: Clock; judge: Judge; rules: RuleSettingsService; catalog: Pick<CatalogReview, 'decide' | 'decideWithin'> }) {
  const { db, clock } = deps;

  async function ownTask(merchantId: string, taskId: string) {
    const task = await repo.findTask(db, taskId);
    if (!task || task.merchantId !== merchantId) throw notFound('Review task');
    if (task.state !== 'store_review') throw conflict('task_closed', `The task is already ${task.state}`);
    return task;
  }

  return {
    async settings(access: MerchantAccess) {
      const row = await repo.storeSettings(db, access.merchantId);
      return { ownerApproval: row?.ownerApproval ?? false, updatedAt: row?.updatedAt.toISOString() ?? null };
    },

    async updateSettings(access: MerchantAccess, input: { ownerApproval: boolean }) {
      requireOwner(access);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.upsertStoreSettings(tx, { merchantId: access.merchantId, ownerApproval: input.ownerApproval, updatedAt: now, updatedBy: access.actor.id });
        await appendFlowEvent(tx, {
          type: 'merchant.review_settings_changed',
          objectType: 'merchant',
          objectId: access.merchantId,
          actor: access.actor,
          occurredAt: now,
          data: { ownerApproval: input.ownerApproval },
        });
      });
      return this.settings(access);
    },

    /** The owner's queue: staff submissions waiting for them, oldest first. */
    async queue(access: MerchantAccess, query: { cursor?: string; limit: number }) {
      requireOwner(access);
      const after = query.cursor ? await repo.findTask(db, query.cursor) : undefined;
      const rows = await repo.listOpenTasks(
        db,
        { state: 'store_review', merchantId: access.merchantId },
        after ? { at: after.submittedAt, id: after.id } : undefined,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const now = clock.now();
      return {
        items: page.map((t) => taskView(t, now, { audience: 'merchant', content: true })),
        nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
      };
    },

    /** Passes the submission to the platform: the rules decide now, or it joins the manual queue. */
    async approve(access: MerchantAccess, taskId: string) {
      requireOwner(access);
      const task = await ownTask(access.merchantId, taskId);
      await db.transaction(async (tx) => {
        const now = clock.now();
        const settings = await deps.rules.load(tx);
        const [{ findings, verdict }] = (await deps.judge(tx, [{ productId: task.productId, merchantId: task.merchantId, content: task.content, sampleKey: task.id }], settings, now)) as [
          Awaited<ReturnType<Judge>>[number],
        ];
        const ruleHits = hitsOf(findings);
        await transition(tx, reviewTaskMachine, {
          objectId: task.id,
          from: task.state,
          event: 'store_approve',
          actor: access.actor,
          at: now,
          related: taskRelated(task),
          data: { ruleHits },
          apply: (to) => repo.setTaskState(tx, task.id, task.state, to, { queuedAt: now, findings, ruleHits }),
        });
        if (verdict === 'manual') return;
        const reason = verdict === 'reject' ? rejectionReason(findings) : null;
        await transition(tx, reviewTaskMachine, {
          objectId: task.id,
          from: 'queued',
          event: verdict,
          actor: RULES_ACTOR,
          at: now,
          related: taskRelated(task),
          data: { automatic: true, ruleHits, ...(reason ? { reason } : {}) },
          apply: (to) => repo.setTaskState(tx, task.id, 'queued', to, { automatic: true, decidedBy: RULES_ACTOR, decidedAt: now, reason }),
        });
        const data = { taskId: task.id, ruleHits };
        await deps.catalog.decideWithin(tx, RULES_ACTOR, task.productId, reason === null ? { outcome: 'approve' } : { outcome: 'reject', reason }, { data });
      });
      return taskView((await repo.findTask(db, task.id))!, clock.now(), { audience: 'merchant', content: true });
    },

    /** Sends the submission back to the staff member: the product is rejected with the owner's reason. */
    async reject(access: MerchantAccess, taskId: string, reason: string) {
      requireOwner(access);
      const task = await ownTask(access.merchantId, taskId);
      await deps.catalog.decide(access.actor, task.productId, { outcome: 'reject', reason, meta: { taskId: task.id, storeOwner: access.merchantId } });
      return taskView((await repo.findTask(db, task.id))!, clock.now(), { audience: 'merchant', content: true });
    },
  };
}

export type StoreReview = ReturnType<typeof createStoreReview>;
