/** Rows to API shapes (see contract.ts). */
import type { QualificationRow, TaskRow, TemplateRow } from './repo.js';

/** A task waiting longer than this is overdue (highlighted in the queue). */
export const OVERDUE_MS = 24 * 60 * 60 * 1000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Who closed the task, told from how it ended. */
function decidedAs(task: TaskRow): 'rules' | 'reviewer' | 'store_owner' | 'merchant' | null {
  if (!task.decidedBy) return null;
  if (task.automatic) return 'rules';
  if (task.state === 'withdrawn') return 'merchant';
  // Rejected before it ever joined the platform's queue: the store's owner sent it back.
  if (task.state === 'rejected' && task.queuedAt === null) return 'store_owner';
  return 'reviewer';
}

export function taskView(task: TaskRow, now: Date, options: { content?: boolean; audience: 'admin' | 'merchant' }) {
  const waitingMs = task.state === 'queued' && task.queuedAt ? now.getTime() - task.queuedAt.getTime() : null;
  const claimed = task.state === 'queued' && task.claimedBy && task.claimExpiresAt && task.claimExpiresAt > now;
  const as = decidedAs(task);
  return {
    id: task.id,
    kind: task.kind,
    state: task.state,
    productId: task.productId,
    revisionId: task.revisionId,
    merchantId: task.merchantId,
    categoryId: task.categoryId,
    title: task.title,
    findings: task.findings,
    ruleHits: task.ruleHits,
    automatic: task.automatic,
    submittedBy: { kind: task.submittedBy.kind, id: task.submittedBy.id },
    submittedAt: task.submittedAt.toISOString(),
    queuedAt: iso(task.queuedAt),
    waitingMs,
    overdue: waitingMs !== null && waitingMs > OVERDUE_MS,
    claim: options.audience === 'admin' && claimed ? { reviewerId: task.claimedBy!, until: task.claimExpiresAt!.toISOString() } : null,
    decidedAt: iso(task.decidedAt),
    decidedBy: as ? { as, id: options.audience === 'admin' || as !== 'reviewer' ? (task.decidedBy?.id ?? null) : null } : null,
    reason: task.reason,
    reasonTemplateId: options.audience === 'admin' ? task.reasonTemplateId : null,
    ...(options.content ? { content: task.content } : {}),
  };
}

export function templateView(row: TemplateRow) {
  return { id: row.id, title: row.title, body: row.body, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** `images`: the scans' addresses, in the order uploaded. */
export function qualificationView(row: QualificationRow, now: Date, images: { id: string; url: string; thumbUrl: string; smallUrl: string }[]) {
  return {
    id: row.id,
    merchantId: row.merchantId,
    categoryId: row.categoryId,
    name: row.name,
    number: row.number,
    imageIds: row.imageIds,
    images: images.map(({ id, url, thumbUrl, smallUrl }) => ({ id, url, thumbUrl, smallUrl })),
    expiresAt: row.expiresAt.toISOString(),
    state: row.state,
    /** Approved and not expired: what the category_qualification rule accepts. */
    valid: row.state === 'approved' && row.expiresAt > now,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    decidedAt: iso(row.decidedAt),
  };
}
