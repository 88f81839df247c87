/**
 * Store qualifications (资质): a licence for a regulated category (food, cosmetics, medical
 * devices …), uploaded by the merchant as scans of the store's images, checked by an admin, valid
 * until its expiry date. The category_qualification rule accepts only approved, unexpired ones.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { badRequest, notFound, unprocessable } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import type { MerchantAccess } from '../merchants/index.js';
import type { ReviewFacts } from './gate.js';
import * as repo from './repo.js';
import type { QualificationRow } from './repo.js';
import type { QualificationState } from './schema.js';
import { type QualificationEvent, qualificationMachine } from './states.js';
import { qualificationView } from './views.js';

export type QualificationInput = { categoryId: string; name: string; number: string; imageIds: string[]; expiresAt: string };

const related = (row: QualificationRow) => [
  { type: 'merchant', id: row.merchantId, qualifier: 'store' },
  { type: 'category', id: row.categoryId, qualifier: 'covers' },
];

export function createQualifications(deps: { db: Db; clock: Clock; facts: ReviewFacts }) {
  const { db, clock } = deps;

  /** Views of the rows with their scans' addresses (one image read for all of them). */
  async function views(rows: QualificationRow[]) {
    const now = clock.now();
    const refs = await deps.facts.imageRefs(db, [...new Set(rows.flatMap((r) => r.imageIds))]);
    const byId = new Map(refs.map((ref) => [ref.id, ref]));
    return rows.map((r) => qualificationView(r, now, r.imageIds.flatMap((id) => byId.get(id) ?? [])));
  }

  async function page(query: { merchantId?: string; state?: QualificationState; cursor?: string; limit: number }) {
    const rows = await repo.listQualifications(db, { ...query, before: query.cursor, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    return { items: await views(items), nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
  }

  return {
    async submit(access: MerchantAccess, input: QualificationInput) {
      const now = clock.now();
      const expiresAt = new Date(input.expiresAt);
      const issues = [];
      if (expiresAt <= now) issues.push({ path: 'expiresAt', code: 'already_expired', message: 'The qualification has expired' });
      if ((await deps.facts.categoryPaths(db, [input.categoryId])).length === 0) issues.push({ path: 'categoryId', code: 'category_not_found', message: 'No such category' });
      const own = new Set(await deps.facts.storeImageIds(db, access.merchantId, input.imageIds));
      input.imageIds.forEach((id, i) => {
        if (!own.has(id)) issues.push({ path: `imageIds.${i}`, code: 'unknown_image', message: 'No such image in this store' });
      });
      if (issues.length > 0) throw unprocessable('invalid_qualification', `The qualification has ${issues.length} problem${issues.length === 1 ? '' : 's'}`, { issues });
      const row = await db.transaction(async (tx) => {
        const created = await repo.insertQualification(tx, {
          id: newId('qualification'),
          merchantId: access.merchantId,
          categoryId: input.categoryId,
          name: input.name,
          number: input.number,
          imageIds: input.imageIds,
          expiresAt,
          state: qualificationMachine.initial,
          submittedBy: access.actor.id,
          createdAt: now,
        });
        await appendFlowEvent(tx, {
          type: 'store_qualification.submitted',
          objectType: 'store_qualification',
          objectId: created.id,
          actor: access.actor,
          occurredAt: now,
          related: related(created),
          data: { expiresAt: expiresAt.toISOString() },
        });
        return created;
      });
      return (await views([row]))[0]!;
    },

    mine: (access: MerchantAccess, query: { cursor?: string; limit: number }) => page({ ...query, merchantId: access.merchantId }),

    all: (query: { state?: QualificationState; merchantId?: string; cursor?: string; limit: number }) => page(query),

    /** approve / reject / revoke by an admin; a rejection or revocation needs a reason. */
    async decide(admin: Actor, id: string, event: QualificationEvent, reason?: string) {
      if (event !== 'approve' && !reason) throw badRequest('reason_required', 'Say why');
      const row = await repo.findQualification(db, id);
      if (!row) throw notFound('Qualification');
      const now = clock.now();
      await db.transaction((tx) =>
        transition(tx, qualificationMachine, {
          objectId: row.id,
          from: row.state,
          event,
          actor: admin,
          at: now,
          related: related(row),
          data: reason ? { reason } : {},
          apply: (to) => repo.setQualificationState(tx, row.id, row.state, to, { decidedBy: admin.id, decidedAt: now, reason: reason ?? null }),
        }),
      );
      return (await views([(await repo.findQualification(db, id))!]))[0]!;
    },
  };
}

export type Qualifications = ReturnType<typeof createQualifications>;
