import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { analyticsRoutes } from './routes.js';
import { createAnalyticsService } from './service.js';

export { flowObjectTypes, stepObjectTypes, type FlowObjectType } from './contract.js';

/**
 * Flow analytics (流程分析): funnels, step durations and bottlenecks computed from the flow log,
 * and the log's exports for process-mining tools. Reads `flow_events` only; owns no tables.
 */
export function createAnalyticsModule(deps: { db: Db; clock: Clock }) {
  const service = createAnalyticsService(deps);
  return { service, routes: analyticsRoutes({ db: deps.db, service }) };
}

export type AnalyticsModule = ReturnType<typeof createAnalyticsModule>;
