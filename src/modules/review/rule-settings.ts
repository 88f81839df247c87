/** Admins tune the built-in rules; every change is a `review_rule.updated` event (the audit trail). */
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { unprocessable } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import * as repo from './repo.js';
import { mergeSettings, type RuleKey, ruleDescriptions, ruleKeys, ruleParamSchemas, type RuleSettings, type Severity } from './rule-config.js';

export type RuleChange = { enabled: boolean; severity: Severity; params: unknown };

export function createRuleSettings(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const load = async (exec: Executor): Promise<RuleSettings> => mergeSettings(await repo.ruleRows(exec));

  return {
    load,

    async list() {
      const rows = new Map((await repo.ruleRows(db)).map((r) => [r.rule, r]));
      const settings = mergeSettings([...rows.values()]);
      return ruleKeys.map((rule) => ({
        rule,
        description: ruleDescriptions[rule],
        ...settings[rule],
        customized: rows.has(rule),
        updatedAt: rows.get(rule)?.updatedAt.toISOString() ?? null,
        updatedBy: rows.get(rule)?.updatedBy ?? null,
      }));
    },

    /** Replaces a rule's setting; parameters must fit the rule's schema (422 invalid_rule_params). */
    async update(admin: Actor, rule: RuleKey, change: RuleChange) {
      const parsed = ruleParamSchemas[rule].safeParse(change.params);
      if (!parsed.success) {
        throw unprocessable('invalid_rule_params', `The parameters do not fit rule ${rule}`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: 'invalid_param', message: i.message })),
        });
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        const before = (await load(tx))[rule];
        await repo.upsertRule(tx, { rule, enabled: change.enabled, severity: change.severity, params: parsed.data as Record<string, unknown>, updatedAt: now, updatedBy: admin.id });
        await appendFlowEvent(tx, {
          type: 'review_rule.updated',
          objectType: 'review_rule',
          objectId: rule,
          actor: admin,
          occurredAt: now,
          data: { before, after: { enabled: change.enabled, severity: change.severity, params: parsed.data } },
        });
      });
      return (await this.list()).find((r) => r.rule === rule)!;
    },

    /** The audit trail of one rule, newest first. */
    async history(rule: RuleKey, limit: number) {
      return (await repo.ruleChanges(db, rule, limit)).map((e) => ({
        at: e.occurredAt.toISOString(),
        actor: { kind: e.actor.kind, id: e.actor.id },
        before: e.data.before,
        after: e.data.after,
      }));
    },
  };
}

export type RuleSettingsService = ReturnType<typeof createRuleSettings>;
