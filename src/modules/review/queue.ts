/**
 * The manual queue (人工审核): what the rules left to a person. A reviewer claims a task (a lease
 * of CLAIM_MS, renewed by claiming again) so two reviewers never work the same product, then
 * approves or rejects it through the catalog's one decision, which closes the task in the same
 * transaction. Reusable reason templates; bulk decisions answered item by item.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import type { ReviewService as CatalogReview } from '../catalog/index.js';
import { taskRelated } from './gate.js';
import * as repo from './repo.js';
import type { QueueFilter, TaskRow } from './repo.js';
import type { ReviewTaskState } from './schema.js';
import { taskView, templateView } from './views.js';

/** How long a claim holds without being renewed. */
export const CLAIM_MS = 30 * 60 * 1000;

export type QueueQuery = {
  state: ReviewTaskState;
  rule?: string;
  categoryId?: string;
  merchantId?: string;
  minWaitMinutes?: number;
  claim?: 'mine' | 'others' | 'free';
  cursor?: string;
  limit: number;
};

export type ManualDecision = { outcome: 'approve'; note?: string } | { outcome: 'reject'; reason?: string; templateId?: string };

const userActor = (userId: string): Actor => ({ kind: 'user', id: userId });

export function createQueueService(deps: { db: Db; clock: Clock; catalog: Pick<CatalogReview, 'decide'> }) {
  const { db, clock } = deps;

  async function openTask(taskId: string): Promise<TaskRow> {
    const task = await repo.findTask(db, taskId);
    if (!task) throw notFound('Review task');
    if (task.state === 'store_review') throw conflict('awaiting_store_review', "The store's owner has not approved this submission yet");
    if (task.state !== 'queued') throw conflict('task_closed', `The task is already ${task.state}`);
    return task;
  }

  /** The reason a rejection carries: the template's text, then the reviewer's own words. */
  async function reasonOf(decision: Extract<ManualDecision, { outcome: 'reject' }>): Promise<string> {
    const template = decision.templateId ? await repo.findTemplate(db, decision.templateId) : undefined;
    if (decision.templateId && (!template || template.archivedAt)) throw notFound('Reason template');
    const reason = [template?.body, decision.reason?.trim()].filter(Boolean).join(' ');
    if (reason.length < 2) throw badRequest('reason_required', 'A rejection needs a reason or a reason template');
    return reason.slice(0, 1000);
  }

  async function decide(reviewerId: string, taskId: string, decision: ManualDecision) {
    const task = await openTask(taskId);
    const meta = { taskId: task.id, ...(decision.outcome === 'reject' && decision.templateId ? { templateId: decision.templateId } : {}) };
    await deps.catalog.decide(
      userActor(reviewerId),
      task.productId,
      decision.outcome === 'approve' ? { outcome: 'approve', meta } : { outcome: 'reject', reason: await reasonOf(decision), meta },
    );
    return taskView((await repo.findTask(db, task.id))!, clock.now(), { audience: 'admin', content: true });
  }

  return {
    async list(query: QueueQuery, reviewerId: string) {
      const now = clock.now();
      const filter: QueueFilter = {
        state: query.state,
        rule: query.rule,
        categoryId: query.categoryId,
        merchantId: query.merchantId,
        queuedBefore: query.minWaitMinutes === undefined ? undefined : new Date(now.getTime() - query.minWaitMinutes * 60_000),
        claim:
          query.claim === 'mine' ? { mine: reviewerId, now } : query.claim === 'others' ? { others: reviewerId, now } : query.claim === 'free' ? { free: now } : undefined,
      };
      const open = query.state === 'queued' || query.state === 'store_review';
      const rows = open
        ? await repo.listOpenTasks(db, filter, query.cursor ? decodeCursor(query.cursor) : undefined, query.limit + 1)
        : await repo.listClosedTasks(db, filter, query.cursor ? decodeId(query.cursor) : undefined, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((t) => taskView(t, now, { audience: 'admin' })),
        nextCursor: rows.length > query.limit && last ? (open ? encodeCursor(last.queuedAt ?? last.submittedAt, last.id) : encodeId(last.id)) : null,
      };
    },

    async get(taskId: string) {
      const task = await repo.findTask(db, taskId);
      if (!task) throw notFound('Review task');
      return taskView(task, clock.now(), { audience: 'admin', content: true });
    },

    /** Takes (or renews) the claim; 409 task_claimed while another reviewer holds it. */
    async claim(reviewerId: string, taskId: string) {
      const now = clock.now();
      const until = new Date(now.getTime() + CLAIM_MS);
      const claimed = await db.transaction(async (tx) => {
        const task = await repo.claimTask(tx, taskId, reviewerId, now, until);
        if (task) {
          await appendFlowEvent(tx, {
            type: 'review_task.claimed',
            objectType: 'review_task',
            objectId: task.id,
            actor: userActor(reviewerId),
            occurredAt: now,
            related: taskRelated(task),
            data: { until: until.toISOString() },
          });
        }
        return task;
      });
      if (claimed) return taskView(claimed, now, { audience: 'admin', content: true });
      const task = await openTask(taskId);
      throw conflict('task_claimed', 'Another reviewer has claimed this task', { claimedBy: task.claimedBy, until: task.claimExpiresAt?.toISOString() });
    },

    async release(reviewerId: string, taskId: string) {
      const now = clock.now();
      const released = await db.transaction(async (tx) => {
        if (!(await repo.releaseTask(tx, taskId, reviewerId))) return false;
        const task = (await repo.findTask(tx, taskId))!;
        await appendFlowEvent(tx, { type: 'review_task.released', objectType: 'review_task', objectId: taskId, actor: userActor(reviewerId), occurredAt: now, related: taskRelated(task) });
        return true;
      });
      if (!released) {
        await openTask(taskId);
        throw conflict('not_claimed', 'You do not hold a claim on this task');
      }
      return this.get(taskId);
    },

    decide,

    /** Many tasks, one decision; each answered on its own (a task claimed by another fails, the rest go on). */
    async decideMany(reviewerId: string, taskIds: string[], decision: ManualDecision) {
      if (decision.outcome === 'reject') await reasonOf(decision);
      const items = [];
      for (const taskId of [...new Set(taskIds)]) {
        try {
          const task = await decide(reviewerId, taskId, decision);
          items.push({ taskId, result: task.state, error: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          items.push({ taskId, result: 'failed' as const, error: { code: err.code, message: err.message } });
        }
      }
      return {
        summary: { decided: items.filter((i) => i.result !== 'failed').length, failed: items.filter((i) => i.result === 'failed').length },
        items,
      };
    },

    /** A product's review history, newest first: as its merchant sees it, or with reviewer ids for admins. */
    async history(productId: string, query: { cursor?: string; limit: number }, audience: 'admin' | 'merchant' = 'merchant') {
      const rows = await repo.tasksOfProduct(db, productId, query.cursor, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const now = clock.now();
      return {
        items: page.map((t) => taskView(t, now, { audience, content: true })),
        nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
      };
    },

    templates: {
      list: async () => (await repo.liveTemplates(db)).map(templateView),
      async create(adminId: string, input: { title: string; body: string }) {
        const now = clock.now();
        const row = { id: newId('reasonTemplate'), title: input.title, body: input.body, createdBy: adminId, createdAt: now, updatedAt: now, archivedAt: null };
        await repo.insertTemplate(db, row);
        return templateView(row);
      },
      async update(id: string, input: { title?: string; body?: string }) {
        const row = await repo.updateTemplate(db, id, { ...input, updatedAt: clock.now() });
        if (!row) throw notFound('Reason template');
        return templateView(row);
      },
      async archive(id: string) {
        const now = clock.now();
        if (!(await repo.updateTemplate(db, id, { archivedAt: now, updatedAt: now }))) throw notFound('Reason template');
      },
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
  }
}

const encodeId = (id: string) => Buffer.from(JSON.stringify([id])).toString('base64url');

function decodeId(cursor: string): string {
  try {
    const [id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string];
    if (typeof id !== 'string') throw new Error('bad cursor');
    return id;
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
  }
}
