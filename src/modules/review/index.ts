import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { Actor } from '../../platform/events.js';
import { type CatalogModule, RULES_ACTOR } from '../catalog/index.js';
import type { MerchantsModule } from '../merchants/index.js';
import { createJudge, createReviewGate } from './gate.js';
import { createQualifications } from './qualifications.js';
import { createQueueService } from './queue.js';
import { reviewAdminRoutes, reviewMerchantRoutes } from './routes.js';
import { createRuleSettings } from './rule-settings.js';
import { createReviewStats } from './stats.js';
import { createStoreReview } from './store-review.js';

export { defaultRuleSettings, ruleKeys, type RuleKey, type Severity } from './rule-config.js';
export { evaluate, type Finding, type ListingContent } from './rules.js';

/**
 * The review of listings (商品审核): automatic rules in front of the catalog's one decision, the
 * manual queue, the store owner's approval of staff submissions, store qualifications and the
 * measures. Plugs itself into the catalog as its review gate.
 */
export function createReviewModule(deps: { db: Db; clock: Clock; catalog: CatalogModule; merchants: MerchantsModule }) {
  const { db, clock, catalog, merchants } = deps;
  const rules = createRuleSettings({ db, clock });
  const judge = createJudge({ clock, facts: catalog.reviewFacts, loadSettings: rules.load });
  catalog.review.useGate(createReviewGate({ clock, facts: catalog.reviewFacts, loadSettings: rules.load, judge, rulesActor: RULES_ACTOR }));

  const queue = createQueueService({ db, clock, catalog: catalog.review });
  const storeReview = createStoreReview({ db, clock, judge, rules, catalog: catalog.review });
  const qualifications = createQualifications({ db, clock, facts: catalog.reviewFacts });
  const stats = createReviewStats({ db, clock });
  const routeDeps = {
    queue,
    rules,
    stats,
    storeReview,
    qualifications,
    merchantAccess: merchants.access,
    assertOwnProduct: async (access: { merchantId: string; actor: Actor; via: 'session' | 'api_key' }, productId: string) => {
      await catalog.products.get({ merchantId: access.merchantId, actor: access.actor, via: access.via }, productId);
    },
  };
  return { rules, queue, storeReview, qualifications, stats, routes: [reviewAdminRoutes(routeDeps), reviewMerchantRoutes(routeDeps)] };
}

export type ReviewModule = ReturnType<typeof createReviewModule>;
