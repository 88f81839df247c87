import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { MerchantState } from './states.js';

/** A store, from application (state `applied`) onwards. */
export const merchants = pgTable(
  'merchants',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    state: text('state').$type<MerchantState>().notNull(),
    /** The user who applied; becomes the owner on approval. */
    applicantUserId: text('applicant_user_id').notNull(),
    contactName: text('contact_name').notNull(),
    contactMobile: text('contact_mobile').notNull(),
    contactEmail: text('contact_email').notNull(),
    /** 统一社会信用代码, 18 characters, check digit validated. */
    creditCode: text('credit_code').notNull(),
    description: text('description').notNull().default(''),
    logoUrl: text('logo_url'),
    /** Why the application was rejected or the store suspended. */
    stateReason: text('state_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('merchants_name_uq').on(sql`lower(${t.name})`),
    index('merchants_state_idx').on(t.state, t.id),
    index('merchants_applicant_idx').on(t.applicantUserId),
  ],
);

export type StaffRole = 'owner' | 'operator';

/** Who works for a store. A user works for at most one store. */
export const merchantStaff = pgTable(
  'merchant_staff',
  {
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.userId] }),
    uniqueIndex('merchant_staff_user_uq').on(t.userId),
    check('merchant_staff_role_ck', sql`${t.role} in ('owner', 'operator')`),
  ],
);

/** Open API keys. Only the SHA-256 of the secret is kept; `prefix` helps people tell keys apart. */
export const merchantApiKeys = pgTable(
  'merchant_api_keys',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('merchant_api_keys_secret_uq').on(t.secretHash), index('merchant_api_keys_merchant_idx').on(t.merchantId)],
);
