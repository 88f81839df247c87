/**
 * Request and response shapes of the catalog API, shared with the web client. Money is integer fen.
 */
import { z } from 'zod';
import { productStatuses, revisionStates } from './states.js';

export const MAX_SPEC_DIMENSIONS = 3;
export const MAX_IMAGES = 9;
export const MAX_SKUS = 300;
export const MAX_PRICE = 1_000_000_000; // 1,000 万元 in fen
export const MAX_ON_HAND = 100_000_000;
export const MAX_BULK_ITEMS = 500;

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `a ${prefix}_… id`);
/** A merchant's code for a product or SKU: printable, no whitespace. */
const merchantCode = z.string().trim().min(1).max(64).regex(/^\S+$/, 'no spaces');
const attributeKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter');

// ── Categories ────────────────────────────────────────────────────────────────────────────────

export const attributeDefinitionSchema = z
  .strictObject({
    key: attributeKey,
    nameZh: z.string().trim().min(1).max(40),
    nameEn: z.string().trim().min(1).max(60),
    kind: z.enum(['spec', 'attr']),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(40)).min(1).max(100).optional(),
  })
  .meta({ id: 'AttributeDefinition' });

const attributeList = z
  .array(attributeDefinitionSchema)
  .max(40)
  .refine((list) => new Set(list.map((a) => a.key)).size === list.length, 'attribute keys must be unique');

export const createCategoryBody = z
  .strictObject({
    parentId: id('cat').nullable().default(null),
    nameZh: z.string().trim().min(1).max(40),
    nameEn: z.string().trim().min(1).max(60),
    sortOrder: z.int().min(-1_000_000).max(1_000_000).default(0),
    enabled: z.boolean().default(true),
    attributes: attributeList.default([]),
  })
  .meta({
    example: {
      parentId: 'cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F',
      nameZh: 'T恤',
      nameEn: 'T-shirts',
      sortOrder: 10,
      enabled: true,
      attributes: [
        { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec', required: false },
        { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', required: false, options: ['S', 'M', 'L', 'XL'] },
        { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
      ],
    },
  });

export const updateCategoryBody = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(40).optional(),
    nameEn: z.string().trim().min(1).max(60).optional(),
    sortOrder: z.int().min(-1_000_000).max(1_000_000).optional(),
    enabled: z.boolean().optional(),
    attributes: attributeList.optional(),
  })
  .meta({ example: { nameEn: 'Tees', enabled: false } });

export const categorySchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    depth: z.number().int(),
    nameZh: z.string(),
    nameEn: z.string(),
    sortOrder: z.number().int(),
    enabled: z.boolean(),
    attributes: z.array(attributeDefinitionSchema),
    isLeaf: z.boolean(),
  })
  .meta({ id: 'Category' });

export type CategoryNode = z.infer<typeof categorySchema> & { children: CategoryNode[] };
export const categoryTreeSchema: z.ZodType<CategoryNode> = categorySchema
  .extend({ children: z.array(z.lazy(() => categoryTreeSchema)) })
  .meta({ id: 'CategoryNode' });

// ── Products ──────────────────────────────────────────────────────────────────────────────────

export const skuInputSchema = z
  .strictObject({
    code: merchantCode,
    /** `{ dimensionKey: value }`, one entry per spec dimension of the product. */
    specs: z.record(attributeKey, z.string().trim().min(1).max(40)).optional(),
    price: z.int().min(1).max(MAX_PRICE),
    listPrice: z.int().min(1).max(MAX_PRICE).nullable().optional(),
    /** Initial stock for a new SKU; for an existing one, the stock to set (recorded as an adjustment). */
    onHand: z.int().min(0).max(MAX_ON_HAND).optional(),
    weightGrams: z.int().min(0).max(1_000_000),
  })
  .meta({ id: 'SkuDraft' });

const specDimensionInput = z.strictObject({
  key: attributeKey,
  values: z
    .array(z.string().trim().min(1).max(40))
    .min(1)
    .max(50)
    .refine((v) => new Set(v).size === v.length, 'values must be unique'),
});

/** Every product field; optional ones take their default on create and stay as they are on update. */
const productFields = {
  code: merchantCode,
  title: z.string().trim().min(1).max(120),
  subtitle: z.string().trim().max(200),
  /** Rich text HTML; sanitized, and refused when it carries scripts. */
  description: z.string().max(200_000),
  brand: z.string().trim().max(60),
  categoryId: id('cat'),
  attributes: z.record(attributeKey, z.string().trim().min(1).max(200)),
  specs: z.array(specDimensionInput).max(MAX_SPEC_DIMENSIONS),
  /** Uploaded image ids of this store; the first is the main image. */
  imageIds: z.array(id('img')).max(MAX_IMAGES),
  skus: z.array(skuInputSchema).min(1).max(MAX_SKUS),
};

const productExample = {
  code: 'TEE-2026-001',
  title: '纯棉圆领短袖T恤',
  subtitle: '新疆长绒棉，透气不变形',
  description: '<p>200g 精梳棉，<strong>机洗不变形</strong>。</p>',
  brand: '棉舍',
  categoryId: 'cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F',
  attributes: { material: '棉 100%' },
  specs: [
    { key: 'color', values: ['白色', '黑色'] },
    { key: 'size', values: ['M', 'L'] },
  ],
  imageIds: ['img_01JZ8Q3W5X6Y7Z8A9B0C1D2E3G'],
  skus: [
    { code: 'TEE-001-WH-M', specs: { color: '白色', size: 'M' }, price: 7900, listPrice: 9900, onHand: 120, weightGrams: 220 },
    { code: 'TEE-001-WH-L', specs: { color: '白色', size: 'L' }, price: 7900, listPrice: 9900, onHand: 80, weightGrams: 230 },
    { code: 'TEE-001-BK-M', specs: { color: '黑色', size: 'M' }, price: 7900, onHand: 60, weightGrams: 220 },
    { code: 'TEE-001-BK-L', specs: { color: '黑色', size: 'L' }, price: 7900, onHand: 0, weightGrams: 230 },
  ],
};

export const createProductBody = z
  .strictObject({
    ...productFields,
    code: productFields.code.optional(),
    subtitle: productFields.subtitle.optional(),
    description: productFields.description.optional(),
    brand: productFields.brand.optional(),
    attributes: productFields.attributes.optional(),
    specs: productFields.specs.optional(),
    imageIds: productFields.imageIds.optional(),
  })
  .meta({ id: 'ProductDraft', example: productExample });

export type ProductInput = z.infer<typeof createProductBody>;

export const updateProductBody = z
  .strictObject({
    code: productFields.code.optional(),
    title: productFields.title.optional(),
    subtitle: productFields.subtitle.optional(),
    description: productFields.description.optional(),
    brand: productFields.brand.optional(),
    categoryId: productFields.categoryId.optional(),
    attributes: productFields.attributes.optional(),
    specs: productFields.specs.optional(),
    imageIds: productFields.imageIds.optional(),
    /** The full list of SKUs after the edit, matched by code: new codes are added, missing ones removed. */
    skus: productFields.skus.optional(),
  })
  .meta({ example: { title: '纯棉圆领短袖T恤（加厚款）', skus: productExample.skus.slice(0, 2) } });

export type ProductPatch = z.infer<typeof updateProductBody>;

/** A bulk item is a whole product keyed by its code; omitted optional fields mean empty. */
export const bulkProductSchema = z
  .strictObject({
    ...productFields,
    subtitle: productFields.subtitle.optional(),
    description: productFields.description.optional(),
    brand: productFields.brand.optional(),
    attributes: productFields.attributes.optional(),
    specs: productFields.specs.optional(),
    imageIds: productFields.imageIds.optional(),
  })
  .meta({ id: 'BulkProduct', example: productExample });

export const bulkBody = z
  .strictObject({
    products: z
      .array(
        // Documented as BulkProduct; any object passes here, because each item is judged on its own
        // and answered in `items[]`, so one bad item never fails the call.
        z.union([bulkProductSchema, z.record(z.string(), z.unknown()).meta({ description: 'An item that is not a valid BulkProduct is answered as failed, with its errors' })]),
      )
      .min(1)
      .max(MAX_BULK_ITEMS),
  })
  .meta({ example: { products: [productExample] } });

export const bulkQuery = z.strictObject({
  submit: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const issueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() }).meta({ id: 'Issue' });
export type Issue = z.infer<typeof issueSchema>;

export const bulkResultSchema = z
  .object({
    summary: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), failed: z.number(), submitted: z.number() }),
    items: z.array(
      z.object({
        index: z.number(),
        code: z.string().nullable(),
        result: z.enum(['created', 'updated', 'unchanged', 'failed']),
        productId: z.string().nullable(),
        status: z.enum(productStatuses).nullable(),
        submitted: z.boolean(),
        errors: z.array(issueSchema),
      }),
    ),
  })
  .meta({ id: 'BulkResult' });

export type BulkResultItem = z.infer<typeof bulkResultSchema>['items'][number];

export const imageRefSchema = z
  .object({ id: z.string(), url: z.string(), thumbUrl: z.string(), smallUrl: z.string(), width: z.number(), height: z.number() })
  .meta({ id: 'ImageRef' });

export const skuSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    specs: z.record(z.string(), z.string()),
    price: z.number().int(),
    listPrice: z.number().int().nullable(),
    weightGrams: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
  })
  .meta({ id: 'Sku' });

export const revisionSchema = z
  .object({
    id: z.string(),
    state: z.enum(revisionStates),
    /** The whole proposed product (SKUs without stock); on approval it replaces the live content. */
    content: z.object({
      title: z.string(),
      subtitle: z.string(),
      description: z.string(),
      brand: z.string(),
      categoryId: z.string(),
      attributes: z.record(z.string(), z.string()),
      specs: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
      imageIds: z.array(z.string()),
      skus: z.array(
        z.object({ code: z.string(), specs: z.record(z.string(), z.string()), price: z.number().int(), listPrice: z.number().int().nullable(), weightGrams: z.number().int() }),
      ),
    }),
    /** Material fields that differ from the live product, and SKU codes whose price moves by more than 30%. */
    changes: z.object({ fields: z.array(z.string()), priceMoves: z.array(z.string()) }),
    /** Why it was rejected. */
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
  })
  .meta({
    id: 'ProductRevision',
    description: 'A material edit (or a price move over 30%) of a listed product, reviewed while the approved version stays on sale',
  });

export const productSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    code: z.string(),
    title: z.string(),
    subtitle: z.string(),
    description: z.string(),
    brand: z.string(),
    categoryId: z.string(),
    attributes: z.record(z.string(), z.string()),
    specs: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
    images: z.array(imageRefSchema),
    status: z.enum(productStatuses),
    rejectionReason: z.string().nullable(),
    currency: z.literal('CNY'),
    priceMin: z.number().int(),
    priceMax: z.number().int(),
    stockTotal: z.number().int(),
    skus: z.array(skuSchema),
    submittedAt: z.iso.datetime().nullable(),
    reviewedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** The latest revision (pending, or how the last one ended); null when the product was never revised. */
    revision: revisionSchema.nullable(),
  })
  .meta({ id: 'Product' });

export const productSummarySchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    code: z.string(),
    title: z.string(),
    status: z.enum(productStatuses),
    categoryId: z.string(),
    currency: z.literal('CNY'),
    priceMin: z.number().int(),
    priceMax: z.number().int(),
    stockTotal: z.number().int(),
    mainImage: imageRefSchema.nullable(),
    submittedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ProductSummary' });

export const publicProductSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    title: z.string(),
    subtitle: z.string(),
    description: z.string(),
    brand: z.string(),
    category: z.object({ id: z.string(), path: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })) }),
    attributes: z.array(z.object({ key: z.string(), nameZh: z.string(), nameEn: z.string(), value: z.string() })),
    specs: z.array(z.object({ key: z.string(), nameZh: z.string(), nameEn: z.string(), values: z.array(z.string()) })),
    images: z.array(imageRefSchema),
    currency: z.literal('CNY'),
    priceMin: z.number().int(),
    priceMax: z.number().int(),
    skus: z.array(
      z.object({
        id: z.string(),
        specs: z.record(z.string(), z.string()),
        price: z.number().int(),
        listPrice: z.number().int().nullable(),
        available: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'PublicProduct' });

export const productListQuery = z.strictObject({
  status: z.enum(productStatuses).optional(),
  /** Matches the title (contains) or a SKU or product code (exact). */
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const reviewQueueQuery = z.strictObject({
  status: z.enum(productStatuses).default('pending_review'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const rejectBody = z
  .strictObject({ reason: z.string().trim().min(2).max(500) })
  .meta({ example: { reason: '主图含有联系方式，请更换后重新提交' } });

// ── Stock ─────────────────────────────────────────────────────────────────────────────────────

export const stockBody = z
  .strictObject({
    mode: z.enum(['set', 'add', 'remove']),
    quantity: z.int().min(0).max(MAX_ON_HAND),
    reason: z.string().trim().max(200).default(''),
  })
  .refine((b) => b.mode === 'set' || b.quantity > 0, { message: 'add and remove need a positive quantity', path: ['quantity'] })
  .meta({ example: { mode: 'add', quantity: 50, reason: '到货入库' } });

export const stockAdjustmentSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    mode: z.enum(['set', 'add', 'remove', 'initial', 'sync']),
    delta: z.number().int(),
    onHandAfter: z.number().int(),
    reason: z.string(),
    actor: z.object({ kind: z.string(), id: z.string() }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'StockAdjustment' });

export const pageQuery = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });
