/**
 * The review gate the catalog calls: on every submission (a product, or a revision of a listed
 * one) it loads the facts the rules need in a few set-based queries, runs the rules and opens the
 * task, in the submitting transaction. The catalog then decides at once what the rules decided.
 * On every decision by a person it checks and closes the task in the deciding transaction.
 */
import type { Clock } from '../../platform/clock.js';
import type { Executor, Tx } from '../../platform/db.js';
import { conflict } from '../../platform/errors.js';
import { type Actor, appendFlowEvents, type NewFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import type { DecisionNotice, GateVerdict, ReviewGate, Submission } from '../catalog/index.js';
import * as repo from './repo.js';
import type { TaskInsert, TaskRow } from './repo.js';
import type { RuleSettings } from './rule-config.js';
import { evaluate, type Finding, type ListingContent, rejectionReason, type RuleContext, type Verdict } from './rules.js';
import type { ReviewTaskState } from './schema.js';
import { reviewTaskMachine } from './states.js';

/** The catalog's read-only facts (catalog.reviewFacts). */
export type ReviewFacts = {
  categoryPaths(exec: Executor, ids: string[]): Promise<{ id: string; path: { id: string; nameZh: string; nameEn: string }[]; attributes: NonNullable<RuleContext['category']>['attributes'] }[]>;
  priceMedians(exec: Executor, categoryIds: string[]): Promise<{ categoryId: string; median: number; samples: number }[]>;
  similarTitles(
    exec: Executor,
    probes: { key: number; merchantId: string; categoryId: string; title: string; excludeProductId: string }[],
    threshold: number,
  ): Promise<{ key: number; productId: string; title: string; similarity: number }[]>;
  storeImageIds(exec: Executor, merchantId: string, ids: string[]): Promise<string[]>;
  imageRefs(exec: Executor, ids: string[]): Promise<{ id: string; url: string; thumbUrl: string; smallUrl: string }[]>;
};

export type GateDeps = {
  clock: Clock;
  facts: ReviewFacts;
  loadSettings: (exec: Executor) => Promise<RuleSettings>;
};

/** Medians move slowly; one query per category a minute is plenty. */
const MEDIAN_TTL_MS = 60_000;

export type Judged = { findings: Finding[]; verdict: Verdict };

export function createJudge(deps: GateDeps) {
  const medians = new Map<string, { at: number; value?: { median: number; samples: number } }>();

  async function priceStats(exec: Executor, categoryIds: string[], nowMs: number) {
    const stale = categoryIds.filter((id) => (medians.get(id)?.at ?? -Infinity) < nowMs - MEDIAN_TTL_MS);
    if (stale.length > 0) {
      const fresh = new Map((await deps.facts.priceMedians(exec, stale)).map((m) => [m.categoryId, m]));
      for (const id of stale) medians.set(id, { at: nowMs, value: fresh.get(id) });
    }
    return (id: string) => medians.get(id)?.value;
  }

  /** Runs the rules on many listings with the facts loaded once for all of them. */
  return async function judge(
    exec: Executor,
    items: { productId: string; merchantId: string; content: ListingContent; sampleKey: string }[],
    settings: RuleSettings,
    now: Date,
  ): Promise<Judged[]> {
    if (items.length === 0) return [];
    const categoryIds = [...new Set(items.map((i) => i.content.categoryId))];
    const merchantIds = [...new Set(items.map((i) => i.merchantId))];
    const needs = (rule: keyof RuleSettings) => settings[rule].enabled;
    // One after the other: inside a transaction they share one connection anyway.
    const categories = await deps.facts.categoryPaths(exec, categoryIds);
    const statsOf = needs('price_anomaly') ? await priceStats(exec, categoryIds, now.getTime()) : () => undefined;
    const similar = needs('duplicate_listing')
      ? await deps.facts.similarTitles(
          exec,
          items.map((i, key) => ({ key, merchantId: i.merchantId, categoryId: i.content.categoryId, title: i.content.title, excludeProductId: i.productId })),
          settings.duplicate_listing.params.threshold,
        )
      : [];
    const qualified =
      needs('category_qualification') && settings.category_qualification.params.categoryIds.length > 0
        ? await repo.qualifiedCategories(exec, merchantIds, now)
        : new Map<string, Set<string>>();
    const categoryById = new Map(categories.map((c) => [c.id, c]));
    return items.map((item, key) => {
      const context: RuleContext = {
        category: categoryById.get(item.content.categoryId),
        priceStats: statsOf(item.content.categoryId),
        similar: similar.filter((s) => s.key === key),
        qualifiedCategoryIds: qualified.get(item.merchantId) ?? new Set(),
        sampleKey: item.sampleKey,
      };
      return evaluate(item.content, context, settings);
    });
  };
}

export type Judge = ReturnType<typeof createJudge>;

/** The rules' listing view of a catalog submission. */
export function listingOf(content: Submission['content']): ListingContent {
  return {
    title: content.title,
    subtitle: content.subtitle,
    description: content.description,
    brand: content.brand,
    categoryId: content.categoryId,
    attributes: content.attributes,
    specs: content.specs,
    imageIds: content.imageIds,
    skus: content.skus.map((s) => ({ code: s.code, price: s.price, listPrice: s.listPrice })),
  };
}

/** Rules with a finding that counts (block or review). */
export const hitsOf = (findings: readonly Finding[]) => [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))];

export const taskRelated = (task: Pick<TaskRow, 'productId' | 'revisionId' | 'merchantId' | 'categoryId'>) => [
  { type: 'product', id: task.productId, qualifier: 'reviews' },
  ...(task.revisionId ? [{ type: 'product_revision', id: task.revisionId, qualifier: 'reviews' }] : []),
  { type: 'merchant', id: task.merchantId, qualifier: 'store' },
  { type: 'category', id: task.categoryId, qualifier: 'category' },
];

export function createReviewGate(deps: GateDeps & { judge: Judge; rulesActor: Actor }): ReviewGate {
  const { clock } = deps;

  return {
    async submitted(tx: Tx, submissions: Submission[]): Promise<GateVerdict[]> {
      const now = clock.now();
      const settings = await deps.loadSettings(tx);
      const ownerFirst = await repo.ownerApprovalStores(tx, [...new Set(submissions.map((s) => s.merchantId))]);
      const ids = submissions.map(() => newId('reviewTask'));
      const listings = submissions.map((s) => listingOf(s.content));
      const judged = await deps.judge(
        tx,
        submissions.map((s, i) => ({ productId: s.productId, merchantId: s.merchantId, content: listings[i]!, sampleKey: ids[i]! })),
        settings,
        now,
      );
      // The rules have decided: this is the decision time of what they decided.
      const decidedAt = clock.now();
      const rows: TaskInsert[] = [];
      const verdicts: GateVerdict[] = [];
      for (const [i, s] of submissions.entries()) {
        const { findings, verdict } = judged[i]!;
        // 商家审核: a staff member's submission waits for the owner first, findings attached for them to see.
        const storeFirst = ownerFirst.has(s.merchantId) && s.role === 'operator';
        const automatic = !storeFirst && verdict !== 'manual';
        const state: ReviewTaskState = storeFirst ? 'store_review' : verdict === 'approve' ? 'approved' : verdict === 'reject' ? 'rejected' : 'queued';
        const reason = automatic && verdict === 'reject' ? rejectionReason(findings) : null;
        const ruleHits = hitsOf(findings);
        rows.push({
          id: ids[i]!,
          productId: s.productId,
          revisionId: s.revisionId,
          merchantId: s.merchantId,
          categoryId: s.categoryId,
          kind: s.revisionId ? 'revision' : 'listing',
          state,
          title: s.content.title,
          content: listings[i]!,
          findings,
          ruleHits,
          automatic,
          submittedBy: s.actor,
          submittedAt: s.at,
          queuedAt: state === 'queued' ? now : null,
          decidedBy: automatic ? deps.rulesActor : null,
          decidedAt: automatic ? decidedAt : null,
          reason,
        });
        const data = { taskId: ids[i]!, ruleHits };
        verdicts.push(automatic ? (verdict === 'approve' ? { outcome: 'approve', data } : { outcome: 'reject', reason: reason!, data }) : { outcome: 'wait' });
      }
      await repo.insertTasks(tx, rows);
      await appendFlowEvents(
        tx,
        rows.map(
          (row): NewFlowEvent => ({
            type: 'review_task.created',
            objectType: 'review_task',
            objectId: row.id,
            actor: row.automatic ? deps.rulesActor : row.submittedBy,
            occurredAt: now,
            related: taskRelated(row as TaskRow),
            data: { kind: row.kind, state: row.state, automatic: row.automatic, ruleHits: row.ruleHits, findings: row.findings?.length ?? 0 },
          }),
        ),
      );
      return verdicts;
    },

    async deciding(tx: Tx, notice: DecisionNotice) {
      const task = await repo.openTaskOf(tx, notice.productId);
      // A product pending from before the review module existed has no task: nothing to close.
      if (!task) return undefined;
      const meta = notice.meta ?? {};
      if (typeof meta.taskId === 'string' && meta.taskId !== task.id) {
        throw conflict('task_changed', 'The product was resubmitted meanwhile; open its current task');
      }
      let event: 'approve' | 'reject' | 'store_reject';
      if (task.state === 'store_review') {
        // Only the store's owner decides before the platform does, and only to send it back (store-review.ts vouches for the owner).
        if (meta.storeOwner !== task.merchantId || notice.outcome !== 'reject') {
          throw conflict('awaiting_store_review', "The store's owner has not approved this submission yet");
        }
        event = 'store_reject';
      } else {
        if (task.claimedBy && task.claimExpiresAt && task.claimExpiresAt > notice.at && task.claimedBy !== notice.actor.id) {
          throw conflict('task_claimed', 'Another reviewer has claimed this task', { claimedBy: task.claimedBy, until: task.claimExpiresAt.toISOString() });
        }
        event = notice.outcome;
      }
      await transition(tx, reviewTaskMachine, {
        objectId: task.id,
        from: task.state,
        event,
        actor: notice.actor,
        at: notice.at,
        related: taskRelated(task),
        data: notice.reason ? { reason: notice.reason } : {},
        apply: (to) =>
          repo.setTaskState(tx, task.id, task.state, to, {
            decidedBy: notice.actor,
            decidedAt: notice.at,
            reason: notice.reason,
            reasonTemplateId: typeof meta.templateId === 'string' ? meta.templateId : null,
            claimedBy: null,
            claimExpiresAt: null,
          }),
      });
      return { taskId: task.id, ruleHits: task.ruleHits };
    },

    async withdrawn(tx: Tx, revision) {
      const task = await repo.openTaskOf(tx, revision.productId);
      if (!task || task.revisionId !== revision.revisionId) return;
      await transition(tx, reviewTaskMachine, {
        objectId: task.id,
        from: task.state,
        event: 'withdraw',
        actor: revision.actor,
        at: revision.at,
        related: taskRelated(task),
        apply: (to) => repo.setTaskState(tx, task.id, task.state, to, { decidedBy: revision.actor, decidedAt: revision.at, claimedBy: null, claimExpiresAt: null }),
      });
    },
  };
}
