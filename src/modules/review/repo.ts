import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import { flowEvents } from '../../platform/schema.js';
import {
  type QualificationState,
  reviewReasonTemplates,
  reviewRules,
  reviewStoreSettings,
  type ReviewTaskState,
  reviewTasks,
  storeQualifications,
} from './schema.js';

export type TaskRow = typeof reviewTasks.$inferSelect;
export type TaskInsert = typeof reviewTasks.$inferInsert;
export type TemplateRow = typeof reviewReasonTemplates.$inferSelect;
export type QualificationRow = typeof storeQualifications.$inferSelect;
export type RuleRow = typeof reviewRules.$inferSelect;

// ── Rules ─────────────────────────────────────────────────────────────────────────────────────

export const ruleRows = (exec: Executor): Promise<RuleRow[]> => exec.select().from(reviewRules);

export async function upsertRule(exec: Executor, row: RuleRow): Promise<void> {
  await exec
    .insert(reviewRules)
    .values(row)
    .onConflictDoUpdate({ target: reviewRules.rule, set: { enabled: row.enabled, severity: row.severity, params: row.params, updatedAt: row.updatedAt, updatedBy: row.updatedBy } });
}

/** Changes of a rule from the flow log, newest first. */
export async function ruleChanges(exec: Executor, rule: string, limit: number) {
  return exec
    .select({ seq: flowEvents.seq, occurredAt: flowEvents.occurredAt, actor: flowEvents.actor, data: flowEvents.data })
    .from(flowEvents)
    .where(and(eq(flowEvents.objectType, 'review_rule'), eq(flowEvents.objectId, rule)))
    .orderBy(desc(flowEvents.seq))
    .limit(limit);
}

// ── Tasks ─────────────────────────────────────────────────────────────────────────────────────

export async function insertTasks(exec: Executor, rows: TaskInsert[]): Promise<void> {
  if (rows.length > 0) await exec.insert(reviewTasks).values(rows);
}

export async function findTask(exec: Executor, id: string): Promise<TaskRow | undefined> {
  const [row] = await exec.select().from(reviewTasks).where(eq(reviewTasks.id, id));
  return row;
}

/** The product's open task, locked for the deciding transaction. */
export async function openTaskOf(exec: Executor, productId: string): Promise<TaskRow | undefined> {
  const [row] = await exec
    .select()
    .from(reviewTasks)
    .where(and(eq(reviewTasks.productId, productId), inArray(reviewTasks.state, ['store_review', 'queued'])))
    .for('update');
  return row;
}

/** Compare-and-set of a task's state, for `transition()`. */
export async function setTaskState(exec: Executor, id: string, from: ReviewTaskState, to: ReviewTaskState, set: Partial<TaskInsert>): Promise<boolean> {
  const updated = await exec
    .update(reviewTasks)
    .set({ ...set, state: to })
    .where(and(eq(reviewTasks.id, id), eq(reviewTasks.state, from)))
    .returning({ id: reviewTasks.id });
  return updated.length === 1;
}

/** Takes the claim when the task is queued and free (never claimed, expired, or already the caller's). */
export async function claimTask(exec: Executor, id: string, reviewerId: string, now: Date, until: Date): Promise<TaskRow | undefined> {
  const [row] = await exec
    .update(reviewTasks)
    .set({ claimedBy: reviewerId, claimExpiresAt: until })
    .where(
      and(
        eq(reviewTasks.id, id),
        eq(reviewTasks.state, 'queued'),
        or(isNull(reviewTasks.claimedBy), lt(reviewTasks.claimExpiresAt, now), eq(reviewTasks.claimedBy, reviewerId)),
      ),
    )
    .returning();
  return row;
}

export async function releaseTask(exec: Executor, id: string, reviewerId: string): Promise<boolean> {
  const updated = await exec
    .update(reviewTasks)
    .set({ claimedBy: null, claimExpiresAt: null })
    .where(and(eq(reviewTasks.id, id), eq(reviewTasks.claimedBy, reviewerId), eq(reviewTasks.state, 'queued')))
    .returning({ id: reviewTasks.id });
  return updated.length === 1;
}

export type QueueFilter = {
  state: ReviewTaskState;
  rule?: string;
  categoryId?: string;
  merchantId?: string;
  /** Waiting at least this long: queued before this time. */
  queuedBefore?: Date;
  claim?: { mine: string; now: Date } | { others: string; now: Date } | { free: Date };
};

function queueConditions(f: QueueFilter): SQL[] {
  const c: SQL[] = [eq(reviewTasks.state, f.state)];
  if (f.rule) c.push(sql`${f.rule} = any(${reviewTasks.ruleHits})`);
  if (f.categoryId) c.push(eq(reviewTasks.categoryId, f.categoryId));
  if (f.merchantId) c.push(eq(reviewTasks.merchantId, f.merchantId));
  if (f.queuedBefore) c.push(lt(reviewTasks.queuedAt, f.queuedBefore));
  if (f.claim && 'mine' in f.claim) c.push(eq(reviewTasks.claimedBy, f.claim.mine), gt(reviewTasks.claimExpiresAt, f.claim.now));
  if (f.claim && 'others' in f.claim) c.push(sql`${reviewTasks.claimedBy} <> ${f.claim.others}`, gt(reviewTasks.claimExpiresAt, f.claim.now));
  if (f.claim && 'free' in f.claim) c.push(or(isNull(reviewTasks.claimedBy), lt(reviewTasks.claimExpiresAt, f.claim.free))!);
  return c;
}

/** Open tasks oldest first (by when they joined their queue); the cursor is the last row's (time, id). */
export async function listOpenTasks(exec: Executor, f: QueueFilter, after: { at: Date; id: string } | undefined, limit: number): Promise<TaskRow[]> {
  const waiting = sql`coalesce(${reviewTasks.queuedAt}, ${reviewTasks.submittedAt})`;
  const c = queueConditions(f);
  if (after) c.push(sql`(${waiting}, ${reviewTasks.id}) > (${after.at}, ${after.id})`);
  return exec
    .select()
    .from(reviewTasks)
    .where(and(...c))
    .orderBy(asc(waiting), asc(reviewTasks.id))
    .limit(limit);
}

/** Closed tasks newest first; the cursor is the last id. */
export async function listClosedTasks(exec: Executor, f: QueueFilter, before: string | undefined, limit: number): Promise<TaskRow[]> {
  const c = queueConditions(f);
  if (before) c.push(lt(reviewTasks.id, before));
  return exec
    .select()
    .from(reviewTasks)
    .where(and(...c))
    .orderBy(desc(reviewTasks.id))
    .limit(limit);
}

/** A product's tasks, newest first. */
export async function tasksOfProduct(exec: Executor, productId: string, before: string | undefined, limit: number): Promise<TaskRow[]> {
  return exec
    .select()
    .from(reviewTasks)
    .where(and(eq(reviewTasks.productId, productId), before ? lt(reviewTasks.id, before) : undefined))
    .orderBy(desc(reviewTasks.id))
    .limit(limit);
}

export async function findTasks(exec: Executor, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return exec.select().from(reviewTasks).where(inArray(reviewTasks.id, ids));
}

// ── Reason templates ──────────────────────────────────────────────────────────────────────────

export const liveTemplates = (exec: Executor): Promise<TemplateRow[]> =>
  exec.select().from(reviewReasonTemplates).where(isNull(reviewReasonTemplates.archivedAt)).orderBy(asc(reviewReasonTemplates.id));

export async function findTemplate(exec: Executor, id: string): Promise<TemplateRow | undefined> {
  const [row] = await exec.select().from(reviewReasonTemplates).where(eq(reviewReasonTemplates.id, id));
  return row;
}

export async function insertTemplate(exec: Executor, row: TemplateRow): Promise<void> {
  await exec.insert(reviewReasonTemplates).values(row);
}

export async function updateTemplate(exec: Executor, id: string, set: Partial<TemplateRow>): Promise<TemplateRow | undefined> {
  const [row] = await exec
    .update(reviewReasonTemplates)
    .set(set)
    .where(and(eq(reviewReasonTemplates.id, id), isNull(reviewReasonTemplates.archivedAt)))
    .returning();
  return row;
}

// ── Store settings and qualifications ─────────────────────────────────────────────────────────

export async function ownerApprovalStores(exec: Executor, merchantIds: string[]): Promise<Set<string>> {
  if (merchantIds.length === 0) return new Set();
  const rows = await exec
    .select({ merchantId: reviewStoreSettings.merchantId })
    .from(reviewStoreSettings)
    .where(and(inArray(reviewStoreSettings.merchantId, merchantIds), eq(reviewStoreSettings.ownerApproval, true)));
  return new Set(rows.map((r) => r.merchantId));
}

export async function storeSettings(exec: Executor, merchantId: string) {
  const [row] = await exec.select().from(reviewStoreSettings).where(eq(reviewStoreSettings.merchantId, merchantId));
  return row;
}

export async function upsertStoreSettings(exec: Executor, row: typeof reviewStoreSettings.$inferInsert): Promise<void> {
  await exec
    .insert(reviewStoreSettings)
    .values(row)
    .onConflictDoUpdate({ target: reviewStoreSettings.merchantId, set: { ownerApproval: row.ownerApproval, updatedAt: row.updatedAt, updatedBy: row.updatedBy } });
}

/** Regulated categories each store holds a valid qualification for: approved and not expired at `now`. */
export async function qualifiedCategories(exec: Executor, merchantIds: string[], now: Date): Promise<Map<string, Set<string>>> {
  const byStore = new Map<string, Set<string>>();
  if (merchantIds.length === 0) return byStore;
  const rows = await exec
    .select({ merchantId: storeQualifications.merchantId, categoryId: storeQualifications.categoryId })
    .from(storeQualifications)
    .where(and(inArray(storeQualifications.merchantId, merchantIds), eq(storeQualifications.state, 'approved'), gt(storeQualifications.expiresAt, now)));
  for (const r of rows) {
    let set = byStore.get(r.merchantId);
    if (!set) byStore.set(r.merchantId, (set = new Set()));
    set.add(r.categoryId);
  }
  return byStore;
}

export async function insertQualification(exec: Executor, row: typeof storeQualifications.$inferInsert): Promise<QualificationRow> {
  const [created] = await exec.insert(storeQualifications).values(row).returning();
  return created!;
}

export async function findQualification(exec: Executor, id: string, merchantId?: string): Promise<QualificationRow | undefined> {
  const [row] = await exec
    .select()
    .from(storeQualifications)
    .where(merchantId ? and(eq(storeQualifications.id, id), eq(storeQualifications.merchantId, merchantId)) : eq(storeQualifications.id, id));
  return row;
}

export async function listQualifications(exec: Executor, query: { merchantId?: string; state?: QualificationState; before?: string; limit: number }): Promise<QualificationRow[]> {
  return exec
    .select()
    .from(storeQualifications)
    .where(
      and(
        query.merchantId ? eq(storeQualifications.merchantId, query.merchantId) : undefined,
        query.state ? eq(storeQualifications.state, query.state) : undefined,
        query.before ? lt(storeQualifications.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(storeQualifications.id))
    .limit(query.limit);
}

export async function setQualificationState(
  exec: Executor,
  id: string,
  from: QualificationState,
  to: QualificationState,
  set: Partial<typeof storeQualifications.$inferInsert>,
): Promise<boolean> {
  const updated = await exec
    .update(storeQualifications)
    .set({ ...set, state: to })
    .where(and(eq(storeQualifications.id, id), eq(storeQualifications.state, from)))
    .returning({ id: storeQualifications.id });
  return updated.length === 1;
}

// ── Measures ──────────────────────────────────────────────────────────────────────────────────

export type DecisionStats = { automatic: boolean; decided: number; p50_ms: number | null; p90_ms: number | null };

/**
 * Tasks submitted in [from, to) and decided by the platform (rules or reviewer): count and time to
 * decision, automatic and manual apart. The clock starts when the platform got the submission: at
 * submission, or when the store's owner passed it on.
 */
export async function decisionStats(exec: Executor, from: Date, to: Date): Promise<DecisionStats[]> {
  const waited = sql`extract(epoch from decided_at - coalesce(queued_at, submitted_at)) * 1000`;
  return queryRows<DecisionStats>(
    exec,
    sql`select automatic, count(*)::int as decided,
               percentile_cont(0.5) within group (order by ${waited}) as p50_ms,
               percentile_cont(0.9) within group (order by ${waited}) as p90_ms
          from ${reviewTasks}
         where submitted_at >= ${from} and submitted_at < ${to} and state in ('approved', 'rejected') and (automatic or queued_at is not null)
         group by automatic`,
  );
}

export async function submittedCount(exec: Executor, from: Date, to: Date): Promise<{ submitted: number; approved: number; rejected: number; open: number; withdrawn: number }> {
  const [row] = await queryRows<{ submitted: number; approved: number; rejected: number; open: number; withdrawn: number }>(
    exec,
    sql`select count(*)::int as submitted,
               count(*) filter (where state = 'approved')::int as approved,
               count(*) filter (where state = 'rejected')::int as rejected,
               count(*) filter (where state in ('store_review', 'queued'))::int as open,
               count(*) filter (where state = 'withdrawn')::int as withdrawn
          from ${reviewTasks} where submitted_at >= ${from} and submitted_at < ${to}`,
  );
  return row!;
}

/** Rule hits of tasks submitted in the period, most frequent first. */
export async function topRuleHits(exec: Executor, from: Date, to: Date, limit: number): Promise<{ rule: string; tasks: number }[]> {
  return queryRows<{ rule: string; tasks: number }>(
    exec,
    sql`select rule, count(*)::int as tasks
          from ${reviewTasks}, unnest(rule_hits) as rule
         where submitted_at >= ${from} and submitted_at < ${to}
         group by rule order by tasks desc, rule limit ${limit}`,
  );
}

/** The manual queue now: size, claimed, and how long tasks have waited. */
export async function queueNow(exec: Executor, now: Date, overdueMs: number) {
  const [row] = await queryRows<{ queued: number; claimed: number; store_review: number; oldest_ms: number | null; p50_ms: number | null; overdue: number }>(
    exec,
    sql`select count(*) filter (where state = 'queued')::int as queued,
               count(*) filter (where state = 'queued' and claimed_by is not null and claim_expires_at > ${now})::int as claimed,
               count(*) filter (where state = 'store_review')::int as store_review,
               max(extract(epoch from ${now}::timestamptz - queued_at) * 1000) filter (where state = 'queued') as oldest_ms,
               percentile_cont(0.5) within group (order by extract(epoch from ${now}::timestamptz - queued_at) * 1000) filter (where state = 'queued') as p50_ms,
               count(*) filter (where state = 'queued' and queued_at < ${new Date(now.getTime() - overdueMs)})::int as overdue
          from ${reviewTasks} where state in ('queued', 'store_review')`,
  );
  return row!;
}
