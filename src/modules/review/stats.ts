/**
 * How the review performs (审核效率), from the tasks: the share the rules decided, time from
 * submission to decision (automatic and manual apart), which rules fire most, and the manual
 * queue now. Every task change is also in the flow log; the tasks hold the same facts in one row.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { badRequest } from '../../platform/errors.js';
import * as repo from './repo.js';
import { OVERDUE_MS } from './views.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createReviewStats(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const round = (ms: number | null) => (ms === null ? null : Math.round(Number(ms)));

  return {
    /** The period is [from, to) by submission time; the last 7 days by default. */
    async compute(query: { from?: string; to?: string }) {
      const now = clock.now();
      const to = query.to ? new Date(query.to) : now;
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * DAY_MS);
      if (!(from < to)) throw badRequest('invalid_period', '`from` must be before `to`');
      const [counts, decisions, hits, queue] = await Promise.all([
        repo.submittedCount(db, from, to),
        repo.decisionStats(db, from, to),
        repo.topRuleHits(db, from, to, 10),
        repo.queueNow(db, now, OVERDUE_MS),
      ]);
      const auto = decisions.find((d) => d.automatic);
      const manual = decisions.find((d) => !d.automatic);
      const decided = (auto?.decided ?? 0) + (manual?.decided ?? 0);
      const timing = (d: repo.DecisionStats | undefined) => ({ decided: d?.decided ?? 0, p50Ms: round(d?.p50_ms ?? null), p90Ms: round(d?.p90_ms ?? null) });
      return {
        period: { from: from.toISOString(), to: to.toISOString() },
        submitted: counts.submitted,
        outcomes: { approved: counts.approved, rejected: counts.rejected, open: counts.open, withdrawn: counts.withdrawn },
        automaticShare: decided === 0 ? null : (auto?.decided ?? 0) / decided,
        decisionTime: { automatic: timing(auto), manual: timing(manual) },
        topRuleHits: hits,
        queue: {
          size: queue.queued,
          claimed: queue.claimed,
          awaitingStoreOwner: queue.store_review,
          oldestWaitMs: round(queue.oldest_ms),
          medianWaitMs: round(queue.p50_ms),
          overdue: queue.overdue,
        },
      };
    },
  };
}
