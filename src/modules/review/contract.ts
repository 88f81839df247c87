/** Request and response shapes of the review API, shared with the web client. */
import { z } from 'zod';
import { ruleKeys, severities } from './rule-config.js';
import { findingCodes } from './rule-keys.js';
import { qualificationStates, reviewTaskStates } from './states.js';

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `a ${prefix}_… id`);
const example = {
  task: 'rvt_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F',
  product: 'prd_01JZ8Q3W5X6Y7Z8A9B0C1D2E3G',
  merchant: 'mer_01JZ8Q3W5X6Y7Z8A9B0C1D2E3H',
  category: 'cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3J',
  template: 'rrt_01JZ8Q3W5X6Y7Z8A9B0C1D2E3K',
};

export const findingSchema = z
  .object({
    rule: z.enum(ruleKeys),
    severity: z.enum(severities),
    /** Where: `title`, `description`, `attributes.material`, `skus.0.price`, … */
    field: z.string(),
    message: z.string(),
    /** The offending text as the merchant wrote it (or the fact that made the rule fire). */
    evidence: z.string(),
    /** What `message` says, as a code and its parameters, for the UI to word in its language (absent on older findings). */
    detail: z.object({ code: z.enum(findingCodes), params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
  })
  .meta({
    id: 'ReviewFinding',
    example: { rule: 'absolute_terms', severity: 'block', field: 'title', message: 'Absolute term (广告法极限词): 最', evidence: '最.好', detail: { code: 'term', params: { term: '最' } } },
  });

const listingSchema = z.object({
  title: z.string(),
  subtitle: z.string(),
  description: z.string(),
  brand: z.string(),
  categoryId: z.string(),
  attributes: z.record(z.string(), z.string()),
  specs: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
  imageIds: z.array(z.string()),
  skus: z.array(z.object({ code: z.string(), price: z.number().int(), listPrice: z.number().int().nullable() })),
});

export const taskSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['listing', 'revision']),
    state: z.enum(reviewTaskStates),
    productId: z.string(),
    revisionId: z.string().nullable(),
    merchantId: z.string(),
    categoryId: z.string(),
    title: z.string(),
    findings: z.array(findingSchema),
    /** Rules with a blocking or review finding. */
    ruleHits: z.array(z.string()),
    /** Decided by the rules without a person. */
    automatic: z.boolean(),
    /** Who submitted it: a staff member (user) or an API key of the store. */
    submittedBy: z.object({ kind: z.enum(['user', 'api_key', 'provider', 'system']), id: z.string() }),
    submittedAt: z.iso.datetime(),
    /** When it joined the platform's manual queue. */
    queuedAt: z.iso.datetime().nullable(),
    /** How long a queued task has waited so far. */
    waitingMs: z.number().nullable(),
    /** Queued for more than 24 hours: highlight it. */
    overdue: z.boolean(),
    /** The live claim (admins only): who works on it, until when. */
    claim: z.object({ reviewerId: z.string(), until: z.iso.datetime() }).nullable(),
    decidedAt: z.iso.datetime().nullable(),
    /** rules, reviewer, store_owner, or merchant (a withdrawn revision); reviewer ids are shown to admins only. */
    decidedBy: z.object({ as: z.enum(['rules', 'reviewer', 'store_owner', 'merchant']), id: z.string().nullable() }).nullable(),
    reason: z.string().nullable(),
    reasonTemplateId: z.string().nullable(),
    /** The content as submitted (what was judged); in single-task answers and histories. */
    content: listingSchema.optional(),
  })
  .meta({
    id: 'ReviewTask',
    example: {
      id: example.task,
      kind: 'listing',
      state: 'queued',
      productId: example.product,
      revisionId: null,
      merchantId: example.merchant,
      categoryId: example.category,
      title: '纯棉圆领短袖T恤',
      findings: [{ rule: 'duplicate_listing', severity: 'review', field: 'title', message: 'Nearly the same title as on-sale product prd_… (similarity 0.93)', evidence: '纯棉圆领短袖T恤 白' }],
      ruleHits: ['duplicate_listing'],
      automatic: false,
      submittedBy: { kind: 'user', id: 'usr_01JZ8Q3W5X6Y7Z8A9B0C1D2E3M' },
      submittedAt: '2026-11-20T08:00:00.000Z',
      queuedAt: '2026-11-20T08:00:00.000Z',
      waitingMs: 93_600_000,
      overdue: true,
      claim: null,
      decidedAt: null,
      decidedBy: null,
      reason: null,
      reasonTemplateId: null,
    },
  });

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const queueQuery = z.strictObject({
  state: z.enum(reviewTaskStates).default('queued'),
  /** Only tasks where this rule found something. */
  rule: z.enum(ruleKeys).optional(),
  categoryId: id('cat').optional(),
  merchantId: id('mer').optional(),
  /** Only tasks queued at least this long (1440: the overdue ones). */
  minWaitMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  /** mine: claimed by me; others: claimed by another reviewer; free: claimable. */
  claim: z.enum(['mine', 'others', 'free']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const taskParams = z.strictObject({ id: id('rvt') });

export const approveBody = z.strictObject({ note: z.string().trim().max(500).optional() }).meta({ example: {} });

export const rejectBody = z
  .strictObject({
    /** Free text; appended to the template's text when both are given. */
    reason: z.string().trim().min(2).max(500).optional(),
    templateId: id('rrt').optional(),
  })
  .refine((b) => b.reason !== undefined || b.templateId !== undefined, { message: 'give a reason or a templateId', path: ['reason'] })
  .meta({ example: { templateId: example.template, reason: '主图第 2 张含有二维码' } });

export const bulkDecisionBody = z
  .strictObject({
    action: z.enum(['approve', 'reject']),
    taskIds: z.array(id('rvt')).min(1).max(100),
    reason: z.string().trim().min(2).max(500).optional(),
    templateId: id('rrt').optional(),
  })
  .refine((b) => b.action === 'approve' || b.reason !== undefined || b.templateId !== undefined, { message: 'a rejection needs a reason or a templateId', path: ['reason'] })
  .meta({ example: { action: 'reject', taskIds: [example.task], templateId: example.template } });

export const bulkDecisionResult = z
  .object({
    summary: z.object({ decided: z.number(), failed: z.number() }),
    items: z.array(
      z.object({
        taskId: z.string(),
        result: z.union([z.enum(reviewTaskStates), z.literal('failed')]),
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'ReviewBulkResult' });

export const templateSchema = z
  .object({ id: z.string(), title: z.string(), body: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() })
  .meta({ id: 'ReviewReasonTemplate' });

export const templateBody = z
  .strictObject({ title: z.string().trim().min(1).max(60), body: z.string().trim().min(2).max(500) })
  .meta({ example: { title: '主图不符', body: '主图与商品不符，请上传实拍图后重新提交。' } });

export const templatePatch = z
  .strictObject({ title: z.string().trim().min(1).max(60).optional(), body: z.string().trim().min(2).max(500).optional() })
  .meta({ example: { body: '主图与商品不符或含有水印，请上传实拍图后重新提交。' } });

export const templateParams = z.strictObject({ id: id('rrt') });

export const ruleSchema = z
  .object({
    rule: z.enum(ruleKeys),
    description: z.string(),
    enabled: z.boolean(),
    severity: z.enum(severities),
    params: z.record(z.string(), z.unknown()),
    /** False while the rule runs on its built-in defaults. */
    customized: z.boolean(),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'ReviewRule' });

export const ruleParams = z.strictObject({ rule: z.enum(ruleKeys) });

export const ruleBody = z
  .strictObject({
    enabled: z.boolean(),
    /** block: rejected automatically; review: a person decides; info: recorded only. */
    severity: z.enum(severities),
    /** The rule's parameters, whole (see GET for the current ones); checked against the rule's schema (422 invalid_rule_params). */
    params: z.record(z.string(), z.unknown()),
  })
  .meta({ example: { enabled: true, severity: 'block', params: { terms: ['最', '第一', '国家级'], allow: ['最近', '第一次'] } } });

export const ruleChangeSchema = z
  .object({
    at: z.iso.datetime(),
    actor: z.object({ kind: z.string(), id: z.string() }),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'ReviewRuleChange' });

export const storeSettingsSchema = z.object({ ownerApproval: z.boolean(), updatedAt: z.iso.datetime().nullable() }).meta({ id: 'StoreReviewSettings' });
export const storeSettingsBody = z.strictObject({ ownerApproval: z.boolean() }).meta({ example: { ownerApproval: true } });
export const ownerRejectBody = z.strictObject({ reason: z.string().trim().min(2).max(500) }).meta({ example: { reason: '标题写错了型号，请改正后再提交' } });

export const qualificationSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    categoryId: z.string(),
    name: z.string(),
    number: z.string(),
    imageIds: z.array(z.string()),
    /** The scans' addresses, in the order uploaded, for the admin who checks them (and the store). */
    images: z.array(z.object({ id: z.string(), url: z.string(), thumbUrl: z.string(), smallUrl: z.string() })),
    expiresAt: z.iso.datetime(),
    state: z.enum(qualificationStates),
    /** Approved and not expired: what the category_qualification rule accepts. */
    valid: z.boolean(),
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'StoreQualification' });

export const qualificationBody = z
  .strictObject({
    /** The regulated category it covers (any level; it covers the categories below). */
    categoryId: id('cat'),
    name: z.string().trim().min(2).max(60),
    number: z.string().trim().min(2).max(60),
    /** Scans, uploaded as the store's images (POST /api/v1/merchant/images). */
    imageIds: z.array(id('img')).min(1).max(5),
    expiresAt: z.iso.datetime(),
  })
  .meta({
    example: { categoryId: example.category, name: '食品经营许可证', number: 'JY13101150012345', imageIds: ['img_01JZ8Q3W5X6Y7Z8A9B0C1D2E3L'], expiresAt: '2029-06-30T00:00:00.000Z' },
  });

export const qualificationQuery = z.strictObject({
  state: z.enum(qualificationStates).optional(),
  merchantId: id('mer').optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const qualificationParams = z.strictObject({ id: id('qlf') });
export const reasonBody = z.strictObject({ reason: z.string().trim().min(2).max(500) }).meta({ example: { reason: '许可证已被吊销' } });

export const pageQuery = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const statsQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

const timing = z.object({ decided: z.number(), p50Ms: z.number().nullable(), p90Ms: z.number().nullable() });

export const statsSchema = z
  .object({
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    /** Submissions (products and revisions) in the period. */
    submitted: z.number(),
    outcomes: z.object({ approved: z.number(), rejected: z.number(), open: z.number(), withdrawn: z.number() }),
    /** Of the platform's decisions, the share the rules made; null without decisions. */
    automaticShare: z.number().nullable(),
    /** From the platform receiving the submission to the decision. */
    decisionTime: z.object({ automatic: timing, manual: timing }),
    topRuleHits: z.array(z.object({ rule: z.string(), tasks: z.number() })),
    /** The manual queue now. */
    queue: z.object({
      size: z.number(),
      claimed: z.number(),
      awaitingStoreOwner: z.number(),
      oldestWaitMs: z.number().nullable(),
      medianWaitMs: z.number().nullable(),
      /** Waiting more than 24 hours. */
      overdue: z.number(),
    }),
  })
  .meta({
    id: 'ReviewStats',
    example: {
      period: { from: '2026-11-13T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' },
      submitted: 1200,
      outcomes: { approved: 1050, rejected: 110, open: 38, withdrawn: 2 },
      automaticShare: 0.93,
      decisionTime: { automatic: { decided: 1080, p50Ms: 6, p90Ms: 11 }, manual: { decided: 80, p50Ms: 3_600_000, p90Ms: 30_000_000 } },
      topRuleHits: [{ rule: 'absolute_terms', tasks: 61 }],
      queue: { size: 38, claimed: 4, awaitingStoreOwner: 3, oldestWaitMs: 100_000_000, medianWaitMs: 7_200_000, overdue: 2 },
    },
  });
