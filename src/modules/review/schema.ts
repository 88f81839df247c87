import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Actor } from '../../platform/events.js';
import type { Severity } from './rule-config.js';
import type { Finding, ListingContent } from './rules.js';

/** Admin overrides of the built-in rules' defaults (rule-config.ts); a rule without a row runs on its defaults. */
export const reviewRules = pgTable('review_rules', {
  rule: text('rule').primaryKey(),
  enabled: boolean('enabled').notNull(),
  severity: text('severity').$type<Severity>().notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

export type ReviewTaskState = 'store_review' | 'queued' | 'approved' | 'rejected' | 'withdrawn';
export type ReviewTaskKind = 'listing' | 'revision';

/**
 * One submission of a product (or of a revision of an on-sale product) and what became of it:
 * the content judged, the findings, who decided when and why. A product has at most one open task.
 * A reviewer's claim is a lease (`claimed_by` until `claim_expires_at`), not a state.
 */
export const reviewTasks = pgTable(
  'review_tasks',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    revisionId: text('revision_id'),
    merchantId: text('merchant_id').notNull(),
    categoryId: text('category_id').notNull(),
    kind: text('kind').$type<ReviewTaskKind>().notNull(),
    state: text('state').$type<ReviewTaskState>().notNull(),
    title: text('title').notNull(),
    /** The content as submitted: what the reviewer judges. */
    content: jsonb('content').$type<ListingContent>().notNull(),
    findings: jsonb('findings').$type<Finding[]>().notNull().default([]),
    /** The rules with findings, for filtering the queue and counting hits. */
    ruleHits: text('rule_hits').array().notNull().default(sql`'{}'::text[]`),
    /** True when the rules decided without a person. */
    automatic: boolean('automatic').notNull().default(false),
    submittedBy: jsonb('submitted_by').$type<Actor>().notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    /** When the task joined the platform's manual queue. */
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    claimExpiresAt: timestamp('claim_expires_at', { withTimezone: true }),
    decidedBy: jsonb('decided_by').$type<Actor>(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Why it was rejected (or a reviewer's note on an approval). */
    reason: text('reason'),
    reasonTemplateId: text('reason_template_id'),
  },
  (t) => [
    uniqueIndex('review_tasks_open_product_uq').on(t.productId).where(sql`${t.state} in ('store_review', 'queued')`),
    index('review_tasks_state_queued_idx').on(t.state, t.queuedAt, t.id),
    index('review_tasks_product_idx').on(t.productId, t.id),
    index('review_tasks_merchant_state_idx').on(t.merchantId, t.state, t.id),
    index('review_tasks_submitted_idx').on(t.submittedAt),
    check('review_tasks_state_ck', sql`${t.state} in ('store_review', 'queued', 'approved', 'rejected', 'withdrawn')`),
  ],
);

/** Reusable reasons (驳回理由模板) reviewers pick instead of typing. */
export const reviewReasonTemplates = pgTable('review_reason_templates', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
});

export type QualificationState = 'pending' | 'approved' | 'rejected' | 'revoked';

/** A store's licence for a regulated category (食品经营许可证, 医疗器械经营许可证 …): uploaded by the merchant, checked by an admin. */
export const storeQualifications = pgTable(
  'store_qualifications',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    /** The regulated category it covers (any level; covers the categories below). */
    categoryId: text('category_id').notNull(),
    name: text('name').notNull(),
    /** The licence number as printed. */
    number: text('number').notNull(),
    /** Uploaded scans (the store's images). */
    imageIds: jsonb('image_ids').$type<string[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    state: text('state').$type<QualificationState>().notNull(),
    reason: text('reason'),
    submittedBy: text('submitted_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('store_qualifications_merchant_idx').on(t.merchantId, t.state, t.categoryId), index('store_qualifications_state_idx').on(t.state, t.id)],
);

/** 商家审核: a store may require its owner to approve what staff submit before the platform sees it. */
export const reviewStoreSettings = pgTable('review_store_settings', {
  merchantId: text('merchant_id').primaryKey(),
  ownerApproval: boolean('owner_approval').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});
