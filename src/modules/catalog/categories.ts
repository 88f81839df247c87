/** 商品分类: the platform's category tree, three levels at most; products hang on enabled leaves. */
import type { Clock } from '../../platform/clock.js';
import { type Db, isForeignKeyViolation, type Tx } from '../../platform/db.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import type { CategoryNode } from './contract.js';
import * as repo from './repo.js';
import type { AttributeDefinition } from './schema.js';

export const MAX_CATEGORY_DEPTH = 3;

type CategoryInput = {
  parentId: string | null;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
  enabled: boolean;
  attributes: AttributeDefinition[];
};

function view(row: repo.CategoryWithLeaf) {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    sortOrder: row.sortOrder,
    enabled: row.enabled,
    attributes: row.attributes,
    isLeaf: row.isLeaf,
  };
}

/** Builds the tree; with `enabledOnly`, a disabled category hides its whole subtree. */
export function buildTree(rows: repo.CategoryWithLeaf[], enabledOnly: boolean): CategoryNode[] {
  const children = new Map<string | null, repo.CategoryWithLeaf[]>();
  for (const row of rows) {
    if (enabledOnly && !row.enabled) continue;
    const list = children.get(row.parentId) ?? [];
    list.push(row);
    children.set(row.parentId, list);
  }
  const build = (parentId: string | null): CategoryNode[] =>
    (children.get(parentId) ?? [])
      .sort((a, b) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : 1))
      .map((row) => ({ ...view(row), children: build(row.id) }));
  return build(null);
}

/** Attribute definitions belong on leaves: they describe the products that hang there. */
function normalizeAttributes(attributes: AttributeDefinition[]): AttributeDefinition[] {
  // `required` means "give a value before review"; a spec dimension is required by having SKUs.
  return attributes.map((a) => ({ ...a, required: a.kind === 'attr' ? a.required : false }));
}

export function createCategoryService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function find(id: string) {
    const [row] = await repo.findCategories(db, [id]);
    if (!row) throw notFound('Category');
    return row;
  }

  const logged = (actor: Actor, type: string, categoryId: string, now: Date, data: Record<string, unknown>) => (tx: Tx) =>
    appendFlowEvent(tx, { type, objectType: 'category', objectId: categoryId, actor, occurredAt: now, data });

  return {
    async tree(options: { enabledOnly: boolean }) {
      return buildTree(await repo.allCategories(db), options.enabledOnly);
    },

    async create(actor: Actor, input: CategoryInput) {
      let depth = 1;
      if (input.parentId) {
        const parent = await repo.findCategories(db, [input.parentId]).then((r) => r[0]);
        if (!parent) throw unprocessable('parent_not_found', 'No such parent category');
        if (parent.depth >= MAX_CATEGORY_DEPTH) throw unprocessable('category_too_deep', `Categories nest at most ${MAX_CATEGORY_DEPTH} levels`);
        const usage = await repo.categoryUsage(db, parent.id);
        if (usage.products > 0) throw conflict('category_in_use', 'The parent holds products; products hang on leaves only');
        if (parent.attributes.length > 0) {
          throw conflict('category_has_attributes', 'The parent has attribute definitions, which belong on leaves; remove them first');
        }
        depth = parent.depth + 1;
      }
      const now = clock.now();
      const id = newId('category');
      await db.transaction(async (tx) => {
        await repo.insertCategory(tx, { id, ...input, attributes: normalizeAttributes(input.attributes), depth, createdAt: now, updatedAt: now });
        await logged(actor, 'category.created', id, now, { parentId: input.parentId, nameZh: input.nameZh })(tx);
      });
      return view(await find(id));
    },

    async update(actor: Actor, id: string, changes: Partial<Omit<CategoryInput, 'parentId'>>) {
      const category = await find(id);
      if (changes.attributes && changes.attributes.length > 0 && !category.isLeaf) {
        throw unprocessable('not_a_leaf', 'Attribute definitions belong on leaf categories');
      }
      const now = clock.now();
      const set = { ...changes, ...(changes.attributes ? { attributes: normalizeAttributes(changes.attributes) } : {}), updatedAt: now };
      await db.transaction(async (tx) => {
        await repo.updateCategory(tx, id, set);
        await logged(actor, 'category.updated', id, now, { fields: Object.keys(changes) })(tx);
      });
      return view(await find(id));
    },

    async remove(actor: Actor, id: string) {
      await find(id);
      const usage = await repo.categoryUsage(db, id);
      if (usage.children > 0 || usage.products > 0) {
        throw conflict('category_in_use', 'The category still has subcategories or products', usage);
      }
      const now = clock.now();
      await db
        .transaction(async (tx) => {
          await repo.deleteCategory(tx, id);
          await logged(actor, 'category.deleted', id, now, {})(tx);
        })
        .catch((err: unknown) => {
          // A product or subcategory arrived between the check and the delete.
          if (isForeignKeyViolation(err)) throw conflict('category_in_use', 'The category still has subcategories or products');
          throw err;
        });
    },
  };
}

export type CategoryService = ReturnType<typeof createCategoryService>;
