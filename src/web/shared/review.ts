// Shapes of the review API (types only, from the server's zod contract: nothing of the server is
// bundled) and small helpers both consoles use: the admin's review console and the merchant's
// review pages.
import type { z } from 'zod';
import type {
  bulkDecisionResult,
  findingSchema,
  qualificationSchema,
  ruleChangeSchema,
  ruleSchema,
  statsSchema,
  storeSettingsSchema,
  taskSchema,
  templateSchema,
} from '../../modules/review/contract';
import { type FindingCode, findingCodes, type RuleKey, ruleKeys, type Severity, severities } from '../../modules/review/rule-keys';
import type { QualificationState, ReviewTaskState } from '../../modules/review/schema';

export type { QualificationState, ReviewTaskState, RuleKey, Severity };
export type ReviewFinding = z.infer<typeof findingSchema>;
export type ReviewTask = z.infer<typeof taskSchema>;
export type ReviewContent = NonNullable<ReviewTask['content']>;
export type ReviewBulkResult = z.infer<typeof bulkDecisionResult>;
export type ReasonTemplate = z.infer<typeof templateSchema>;
export type ReviewRule = z.infer<typeof ruleSchema>;
export type ReviewRuleChange = z.infer<typeof ruleChangeSchema>;
export type StoreQualification = z.infer<typeof qualificationSchema>;
export type StoreReviewSettings = z.infer<typeof storeSettingsSchema>;
export type ReviewStats = z.infer<typeof statsSchema>;
/** Who decided a closed task. */
export type ReviewDecider = NonNullable<ReviewTask['decidedBy']>['as'];

// The server's own lists (rule-keys.ts imports nothing, so the bundle takes only these).
export const RULE_KEYS = ruleKeys;
export const FINDING_CODES: readonly string[] = findingCodes;
export type { FindingCode };
export const SEVERITIES = severities;
export const TASK_STATES = ['store_review', 'queued', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly ReviewTaskState[];
export const QUALIFICATION_STATES = ['pending', 'approved', 'rejected', 'revoked'] as const satisfies readonly QualificationState[];
/** A queued task waiting longer than this is overdue (the server's `overdue` flag uses the same). */
export const OVERDUE_MS = 24 * 60 * 60 * 1000;

export const SEVERITY_COLORS: Record<Severity, string> = { block: 'error', review: 'warning', info: 'default' };
export const TASK_STATE_COLORS: Record<ReviewTaskState, string> = {
  store_review: 'purple',
  queued: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};
export const QUALIFICATION_STATE_COLORS: Record<QualificationState, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  revoked: 'default',
};

/** Findings most severe first (block, review, info), stable within a severity. */
export function sortFindings(findings: readonly ReviewFinding[]): ReviewFinding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return [...findings].sort((a, b) => rank(a.severity) - rank(b.severity));
}

/**
 * `text` cut into the parts before, at and after the first place `evidence` occurs (case-insensitive),
 * so a finding's offending text can be marked; null when the evidence is not found literally (the
 * rules match normalized text, e.g. `最.好` for 最好, or the evidence is a fact, not a quote).
 */
export function markEvidence(text: string, evidence: string): [string, string, string] | null {
  if (!evidence) return null;
  const at = text.toLowerCase().indexOf(evidence.toLowerCase());
  if (at < 0) return null;
  return [text.slice(0, at), text.slice(at, at + evidence.length), text.slice(at + evidence.length)];
}

/** A waiting time as whole days, hours or minutes: `{ unit: 'h', value: 26 }`. */
export function waitParts(ms: number): { unit: 'd' | 'h' | 'm'; value: number } {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return { unit: 'm', value: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: 'h', value: hours };
  return { unit: 'd', value: Math.floor(hours / 24) };
}
