import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import type { MerchantAccess, MerchantScope } from '../merchants/index.js';
import {
  approveBody,
  bulkDecisionBody,
  bulkDecisionResult,
  ownerRejectBody,
  page,
  pageQuery,
  qualificationBody,
  qualificationParams,
  qualificationQuery,
  qualificationSchema,
  queueQuery,
  reasonBody,
  rejectBody,
  ruleBody,
  ruleChangeSchema,
  ruleParams,
  ruleSchema,
  statsQuery,
  statsSchema,
  storeSettingsBody,
  storeSettingsSchema,
  taskParams,
  taskSchema,
  templateBody,
  templateParams,
  templatePatch,
  templateSchema,
} from './contract.js';
import type { Qualifications } from './qualifications.js';
import type { QueueService } from './queue.js';
import type { RuleSettingsService } from './rule-settings.js';
import type { createReviewStats } from './stats.js';
import type { StoreReview } from './store-review.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const task = z.object({ task: taskSchema });
const admin = ['admin review'];
const merchant = ['merchant review'];

export type ReviewRouteDeps = {
  queue: QueueService;
  rules: RuleSettingsService;
  stats: ReturnType<typeof createReviewStats>;
  storeReview: StoreReview;
  qualifications: Qualifications;
  merchantAccess: (request: FastifyRequest, need: { scope: MerchantScope | 'store:read'; write: boolean }) => Promise<MerchantAccess>;
  /** 404 unless the product is the store's (catalog.products.get). */
  assertOwnProduct: (access: MerchantAccess, productId: string) => Promise<void>;
};

/** Platform routes: the manual queue, rules, reason templates, qualifications, measures. */
export function reviewAdminRoutes(deps: ReviewRouteDeps): FastifyPluginAsyncZod {
  const { queue, rules, stats, qualifications } = deps;
  const reviewer = (request: FastifyRequest) => requireRole(request, 'admin').userId;

  return async (app) => {
    app.get(
      '/api/v1/admin/review/tasks',
      {
        schema: {
          tags: admin,
          summary: 'The manual review queue: open tasks oldest first (closed ones newest first), filtered by rule hit, category, store, waiting time and claim',
          description:
            'Each task carries its findings; `overdue` marks tasks queued for more than 24 hours and `waitingMs` how long they have waited. `claim` shows who works on a task until when.',
          querystring: queueQuery,
          response: { 200: page(taskSchema), ...errors },
        },
      },
      async (request) => queue.list(request.query, reviewer(request)),
    );

    app.get(
      '/api/v1/admin/review/tasks/:id',
      { schema: { tags: admin, summary: 'One task with the content as submitted', params: taskParams, response: { 200: task, ...errors } } },
      async (request) => {
        reviewer(request);
        return { task: await queue.get(request.params.id) };
      },
    );

    app.get(
      '/api/v1/admin/review/products/:id/history',
      {
        schema: {
          tags: admin,
          summary: "A product's review history, newest first: every submission with its findings, who decided, when and why",
          params: z.strictObject({ id: z.string().min(1).max(64) }),
          querystring: pageQuery,
          response: { 200: page(taskSchema), ...errors },
        },
      },
      async (request) => {
        reviewer(request);
        return queue.history(request.params.id, request.query, 'admin');
      },
    );

    app.post(
      '/api/v1/admin/review/tasks/:id/claim',
      {
        schema: {
          tags: admin,
          summary: 'Claim a queued task for 30 minutes (claiming again renews); 409 task_claimed while another reviewer holds it',
          params: taskParams,
          response: { 200: task, ...errors },
        },
      },
      async (request) => ({ task: await queue.claim(reviewer(request), request.params.id) }),
    );

    app.post(
      '/api/v1/admin/review/tasks/:id/release',
      { schema: { tags: admin, summary: 'Give back your claim (409 not_claimed)', params: taskParams, response: { 200: task, ...errors } } },
      async (request) => ({ task: await queue.release(reviewer(request), request.params.id) }),
    );

    app.post(
      '/api/v1/admin/review/tasks/:id/approve',
      {
        schema: {
          tags: admin,
          summary: 'Approve: the product goes on sale (a revision replaces the live content); 409 task_claimed when another reviewer holds the claim',
          params: taskParams,
          body: approveBody,
          response: { 200: task, ...errors },
        },
      },
      async (request) => ({ task: await queue.decide(reviewer(request), request.params.id, { outcome: 'approve', note: request.body.note }) }),
    );

    app.post(
      '/api/v1/admin/review/tasks/:id/reject',
      {
        schema: {
          tags: admin,
          summary: 'Reject with a reason and/or a reason template; the merchant sees it, fixes and resubmits',
          params: taskParams,
          body: rejectBody,
          response: { 200: task, ...errors },
        },
      },
      async (request) => ({ task: await queue.decide(reviewer(request), request.params.id, { outcome: 'reject', ...request.body }) }),
    );

    app.post(
      '/api/v1/admin/review/tasks/bulk',
      {
        schema: {
          tags: admin,
          summary: 'Approve or reject up to 100 tasks; answered task by task (one claimed by another reviewer fails, the others go on)',
          body: bulkDecisionBody,
          response: { 200: bulkDecisionResult, ...errors },
        },
      },
      async (request) => {
        const { action, taskIds, reason, templateId } = request.body;
        return queue.decideMany(reviewer(request), taskIds, action === 'approve' ? { outcome: 'approve' } : { outcome: 'reject', reason, templateId });
      },
    );

    app.get(
      '/api/v1/admin/review/reason-templates',
      { schema: { tags: admin, summary: 'Reusable rejection reasons', response: { 200: z.object({ items: z.array(templateSchema) }), ...errors } } },
      async () => ({ items: await queue.templates.list() }),
    );

    app.post(
      '/api/v1/admin/review/reason-templates',
      { schema: { tags: admin, summary: 'Add a reason template', body: templateBody, response: { 201: z.object({ template: templateSchema }), ...errors } } },
      async (request, reply) => reply.status(201).send({ template: await queue.templates.create(reviewer(request), request.body) }),
    );

    app.patch(
      '/api/v1/admin/review/reason-templates/:id',
      { schema: { tags: admin, summary: 'Change a reason template', params: templateParams, body: templatePatch, response: { 200: z.object({ template: templateSchema }), ...errors } } },
      async (request) => ({ template: await queue.templates.update(request.params.id, request.body) }),
    );

    app.delete(
      '/api/v1/admin/review/reason-templates/:id',
      { schema: { tags: admin, summary: 'Retire a reason template (decisions that used it keep its id)', params: templateParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await queue.templates.archive(request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/admin/review/rules',
      { schema: { tags: admin, summary: 'The automatic review rules with their settings', response: { 200: z.object({ items: z.array(ruleSchema) }), ...errors } } },
      async () => ({ items: await rules.list() }),
    );

    app.put(
      '/api/v1/admin/review/rules/:rule',
      {
        schema: {
          tags: admin,
          summary: "Set a rule: enabled, severity and its whole parameters (checked against the rule's schema); recorded in the flow log",
          params: ruleParams,
          body: ruleBody,
          response: { 200: z.object({ rule: ruleSchema }), ...errors },
        },
      },
      async (request) => ({ rule: await rules.update({ kind: 'user', id: reviewer(request) }, request.params.rule, request.body) }),
    );

    app.get(
      '/api/v1/admin/review/rules/:rule/changes',
      { schema: { tags: admin, summary: "A rule's audit trail, newest first", params: ruleParams, response: { 200: z.object({ items: z.array(ruleChangeSchema) }), ...errors } } },
      async (request) => ({ items: await rules.history(request.params.rule, 100) }),
    );

    app.get(
      '/api/v1/admin/review/qualifications',
      { schema: { tags: admin, summary: 'Store qualifications, newest first (state=pending: the ones to check)', querystring: qualificationQuery, response: { 200: page(qualificationSchema), ...errors } } },
      async (request) => qualifications.all(request.query),
    );

    for (const [path, event, summary] of [
      ['approve', 'approve', 'Approve a pending qualification: it counts until it expires'],
      ['reject', 'reject', 'Reject a pending qualification with a reason'],
      ['revoke', 'revoke', 'Revoke an approved qualification with a reason'],
    ] as const) {
      app.post(
        `/api/v1/admin/review/qualifications/:id/${path}`,
        {
          schema: {
            tags: admin,
            summary,
            params: qualificationParams,
            ...(event === 'approve' ? {} : { body: reasonBody }),
            response: { 200: z.object({ qualification: qualificationSchema }), ...errors },
          },
        },
        async (request) => {
          const reason = (request.body as { reason?: string } | undefined)?.reason;
          return { qualification: await qualifications.decide({ kind: 'user', id: reviewer(request) }, request.params.id, event, reason) };
        },
      );
    }

    app.get(
      '/api/v1/admin/review/stats',
      {
        schema: {
          tags: admin,
          summary: 'How the review performs in a period (by submission time; default the last 7 days): automatic share, time to decision, top rule hits, the queue now',
          querystring: statsQuery,
          response: { 200: statsSchema, ...errors },
        },
      },
      async (request) => stats.compute(request.query),
    );
  };
}

/** Merchant routes: a product's review history, the owner's approval of staff submissions, qualifications. */
export function reviewMerchantRoutes(deps: ReviewRouteDeps): FastifyPluginAsyncZod {
  const { queue, storeReview, qualifications } = deps;
  const reading = (request: FastifyRequest, scope: MerchantScope = 'products:read') => deps.merchantAccess(request, { scope, write: false });
  const writing = (request: FastifyRequest, scope: MerchantScope = 'products:write') => deps.merchantAccess(request, { scope, write: true });

  return async (app) => {
    app.get(
      '/api/v1/merchant/products/:id/reviews',
      {
        schema: {
          tags: merchant,
          summary: "A product's review history, newest first: each submission with its findings, outcome, reason and when",
          params: z.strictObject({ id: z.string().min(1).max(64) }),
          querystring: pageQuery,
          response: { 200: page(taskSchema), ...errors },
        },
      },
      async (request) => {
        const access = await reading(request);
        await deps.assertOwnProduct(access, request.params.id);
        return queue.history(request.params.id, request.query);
      },
    );

    app.get(
      '/api/v1/merchant/review/settings',
      { schema: { tags: merchant, summary: "The store's review settings", response: { 200: storeSettingsSchema, ...errors } } },
      async (request) => storeReview.settings(await reading(request, 'store:write')),
    );

    app.put(
      '/api/v1/merchant/review/settings',
      {
        schema: {
          tags: merchant,
          summary: 'Owner only: require the owner to approve what staff submit before the platform reviews it (商家审核)',
          body: storeSettingsBody,
          response: { 200: storeSettingsSchema, ...errors },
        },
      },
      async (request) => storeReview.updateSettings(await writing(request, 'store:write'), request.body),
    );

    app.get(
      '/api/v1/merchant/review/tasks',
      {
        schema: { tags: merchant, summary: "Owner only: staff submissions waiting for the owner's approval, oldest first", querystring: pageQuery, response: { 200: page(taskSchema), ...errors } },
      },
      async (request) => storeReview.queue(await reading(request), request.query),
    );

    app.post(
      '/api/v1/merchant/review/tasks/:id/approve',
      {
        schema: {
          tags: merchant,
          summary: 'Owner only: pass a staff submission to the platform, where the rules decide at once or it joins the manual queue',
          params: taskParams,
          response: { 200: task, ...errors },
        },
      },
      async (request) => ({ task: await storeReview.approve(await writing(request), request.params.id) }),
    );

    app.post(
      '/api/v1/merchant/review/tasks/:id/reject',
      {
        schema: {
          tags: merchant,
          summary: 'Owner only: send a staff submission back; the product is rejected with this reason',
          params: taskParams,
          body: ownerRejectBody,
          response: { 200: task, ...errors },
        },
      },
      async (request) => ({ task: await storeReview.reject(await writing(request), request.params.id, request.body.reason) }),
    );

    app.get(
      '/api/v1/merchant/qualifications',
      { schema: { tags: merchant, summary: "The store's qualifications, newest first", querystring: pageQuery, response: { 200: page(qualificationSchema), ...errors } } },
      async (request) => qualifications.mine(await reading(request, 'store:write'), request.query),
    );

    app.post(
      '/api/v1/merchant/qualifications',
      {
        schema: {
          tags: merchant,
          summary: 'Upload a qualification for a regulated category (scans as uploaded images); an admin checks it',
          body: qualificationBody,
          response: { 201: z.object({ qualification: qualificationSchema }), ...errors },
        },
      },
      async (request, reply) => reply.status(201).send({ qualification: await qualifications.submit(await writing(request, 'store:write'), request.body) }),
    );
  };
}
