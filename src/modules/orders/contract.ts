/**
 * Request and response shapes of the orders API that the web client shares. Money is integer fen.
 */
import { z } from 'zod';
import { isProvinceCode } from '../addresses/index.js';

export const MAX_FEE = 100_000_00; // 10 万元
export const MAX_AMOUNT = 1_000_000_000;

export const storeRulesSchema = z
  .strictObject({
    minOrderAmount: z.int().min(0).max(MAX_AMOUNT),
    maxQuantityPerSku: z.int().min(1).max(9999).nullable(),
    deliveryProvinces: z
      .array(z.string().refine(isProvinceCode, 'a GB/T 2260 province code, e.g. 330000'))
      .min(1)
      .max(34)
      .nullable(),
    shippingFee: z.int().min(0).max(MAX_FEE),
    freeShippingFrom: z.int().min(0).max(MAX_AMOUNT).nullable(),
    acceptMode: z.enum(['auto', 'manual']),
    acceptDeadlineHours: z.int().min(1).max(168),
  })
  .meta({
    id: 'StoreOrderRules',
    example: {
      minOrderAmount: 2000,
      maxQuantityPerSku: 5,
      deliveryProvinces: ['310000', '320000', '330000'],
      shippingFee: 800,
      freeShippingFrom: 9900,
      acceptMode: 'manual',
      acceptDeadlineHours: 24,
    },
  });

export const unmetConditionSchema = z
  .discriminatedUnion('code', [
    z.object({ code: z.literal('below_minimum_amount'), minimum: z.number(), itemsTotal: z.number(), shortBy: z.number() }),
    z.object({ code: z.literal('quantity_above_limit'), skuId: z.string(), limit: z.number(), quantity: z.number() }),
    z.object({ code: z.literal('province_not_served'), provinceCode: z.string(), provinces: z.array(z.string()) }),
  ])
  .meta({ id: 'UnmetCondition' });
