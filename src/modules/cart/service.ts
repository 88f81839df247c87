import { createHash, randomBytes } from 'node:crypto';
import type { Placeholder, SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import type { SkuSnapshot } from '../catalog/index.js';
import type { StoreRules, UnmetCondition } from '../orders/index.js';
import { evaluateStoreRules } from '../orders/index.js';
import * as repo from './repo.js';

/** Most units of one SKU a cart line holds (also the cap when merging carts). */
export const MAX_LINE_QUANTITY = 999;
/** Most lines in one cart, as on the large platforms. */
export const MAX_LINES = 120;
/** A guest cart lives this long after its last change. */
export const GUEST_CART_TTL_MS = 30 * 24 * 3600_000;

/** Whose cart: a user, a guest holding the cart cookie, or both right after login (then they merge). */
export type CartOwner = { userId?: string; guestToken?: string };

export type StoreInfo = { name: string; active: boolean };

export type CartDeps = {
  db: Db;
  clock: Clock;
  catalog: {
    skuSnapshots(db: Db, skuIds: readonly string[]): Promise<Map<string, SkuSnapshot>>;
    /** The SKU's purchase facts as SQL, for the add-to-cart statement. */
    skuFactsSql(skuId: Placeholder): SQL;
  };
  /** Store names and whether they sell now. */
  stores(merchantIds: readonly string[]): Promise<Map<string, StoreInfo>>;
  /** Each store's order conditions (the orders module). */
  rules(merchantIds: readonly string[]): Promise<Map<string, StoreRules>>;
};

export type LineWarning =
  | { code: 'price_changed'; was: number; now: number }
  | { code: 'sold_out' }
  | { code: 'off_shelf' }
  | { code: 'store_closed' }
  | { code: 'quantity_capped'; requested: number; available: number };

export type CartLineView = {
  id: string;
  skuId: string;
  productId: string | null;
  merchantId: string;
  title: string;
  specs: Record<string, string>;
  imageUrl: string | null;
  price: number;
  quantity: number;
  selected: boolean;
  available: number;
  purchasable: boolean;
  lineTotal: number;
  warnings: LineWarning[];
  addedAt: string;
};

export type CartStoreView = {
  merchantId: string;
  storeName: string;
  lines: CartLineView[];
  /** Selected, purchasable lines only. */
  selectedQuantity: number;
  itemsTotal: number;
  shippingFee: number;
  total: number;
  /** Conditions the selected lines do not meet yet (the region is checked at checkout). */
  unmet: UnmetCondition[];
  rules: { minOrderAmount: number; shippingFee: number; freeShippingFrom: number | null; maxQuantityPerSku: number | null };
};

export type CartView = {
  stores: CartStoreView[];
  summary: { lines: number; quantity: number; selectedQuantity: number; itemsTotal: number; shippingTotal: number; total: number; currency: 'CNY'; warnings: number };
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const emptyView = (): CartView => ({ stores: [], summary: { lines: 0, quantity: 0, selectedQuantity: 0, itemsTotal: 0, shippingTotal: 0, total: 0, currency: 'CNY', warnings: 0 } });

/** What the route must do with the guest cookie after the call. */
export type CookieChange = { setGuestToken?: string; clearGuestToken?: boolean };

export function createCartService(deps: CartDeps) {
  const { db, clock } = deps;

  const actorOf = (cart: repo.CartRow): Actor => (cart.userId ? { kind: 'user', id: cart.userId } : { kind: 'system', id: 'guest' });

  // A user's cart row never changes id and is never deleted: remember it instead of reading it per click.
  const userCarts = new Map<string, repo.CartRow>();
  const remember = (cart: repo.CartRow) => {
    if (!cart.userId || userCarts.has(cart.userId)) return;
    userCarts.set(cart.userId, cart);
    if (userCarts.size > 50_000) userCarts.delete(userCarts.keys().next().value!);
  };

  /**
   * The owner's cart. A logged-in user holding a guest cookie gets the guest cart merged into theirs
   * first (the cookie is then cleared), so no line is lost at login whatever the login path.
   */
  async function open(owner: CartOwner, create: boolean): Promise<{ cart?: repo.CartRow; cookie: CookieChange }> {
    const now = clock.now();
    if (owner.userId) {
      const cookie: CookieChange = owner.guestToken ? { clearGuestToken: true } : {};
      if (owner.guestToken) {
        const merged = await mergeGuestCart(owner.userId, owner.guestToken);
        if (merged) return { cart: merged, cookie };
      }
      const cart =
        userCarts.get(owner.userId) ??
        (await repo.findUserCart(db, owner.userId)) ??
        (create ? await repo.ensureCart(db, { id: newId('cart'), userId: owner.userId, createdAt: now, updatedAt: now }) : undefined);
      if (cart) remember(cart);
      return { cart, cookie };
    }
    if (owner.guestToken) {
      const cart = await repo.findGuestCart(db, hashToken(owner.guestToken), now);
      if (cart || !create) return { cart, cookie: cart ? {} : { clearGuestToken: true } };
    }
    if (!create) return { cookie: {} };
    const token = randomBytes(32).toString('base64url');
    const cart = await repo.ensureCart(db, { id: newId('cart'), guestTokenHash: hashToken(token), createdAt: now, updatedAt: now, expiresAt: new Date(now.getTime() + GUEST_CART_TTL_MS) });
    return { cart, cookie: { setGuestToken: token } };
  }

  /** Merges the guest cart of `guestToken` into the user's cart; answers the user's cart, or undefined when there was no guest cart. */
  async function mergeGuestCart(userId: string, guestToken: string): Promise<repo.CartRow | undefined> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const guest = await repo.findGuestCart(tx, hashToken(guestToken), now);
      if (!guest) return undefined;
      const mine = await repo.ensureCart(tx, { id: newId('cart'), userId, createdAt: now, updatedAt: now });
      const lines = await repo.mergeInto(tx, guest.id, mine.id, MAX_LINE_QUANTITY, now);
      await repo.touchCart(tx, mine.id, now, null);
      await appendFlowEvent(tx, {
        type: 'cart.merge',
        objectType: 'cart',
        objectId: mine.id,
        actor: { kind: 'user', id: userId },
        occurredAt: now,
        related: [{ type: 'cart', id: guest.id, qualifier: 'merged_guest_cart' }],
        data: { lines },
      });
      return mine;
    });
  }

  // Only a guest cart's expiry depends on its last change.
  const expiryAfter = (cart: repo.CartRow, at: Date) => (cart.userId ? null : new Date(at.getTime() + GUEST_CART_TTL_MS));

  async function touch(exec: Executor, cart: repo.CartRow, at: Date) {
    await repo.touchCart(exec, cart.id, at, expiryAfter(cart, at));
  }

  /** The cart as the shopper should see it now; lines above what is available are capped (and say so). */
  async function view(cart: repo.CartRow | undefined): Promise<CartView> {
    if (!cart) return emptyView();
    const lines = await repo.linesOf(db, cart.id);
    if (lines.length === 0) return emptyView();
    const merchantIds = [...new Set(lines.map((l) => l.merchantId))];
    const [snapshots, stores, rules] = await Promise.all([deps.catalog.skuSnapshots(db, lines.map((l) => l.skuId)), deps.stores(merchantIds), deps.rules(merchantIds)]);
    const caps: { id: string; quantity: number }[] = [];
    const lineViews = lines.map((line): CartLineView => {
      const sku = snapshots.get(line.skuId);
      const store = stores.get(line.merchantId);
      const warnings: LineWarning[] = [];
      let quantity = line.quantity;
      if (!store?.active) warnings.push({ code: 'store_closed' });
      if (!sku?.onSale) warnings.push({ code: 'off_shelf' });
      else if (sku.available === 0) warnings.push({ code: 'sold_out' });
      else if (line.quantity > sku.available) {
        quantity = sku.available;
        caps.push({ id: line.id, quantity });
        warnings.push({ code: 'quantity_capped', requested: line.quantity, available: sku.available });
      }
      if (sku && sku.price !== line.priceSeen) warnings.push({ code: 'price_changed', was: line.priceSeen, now: sku.price });
      const purchasable = Boolean(store?.active && sku?.onSale && sku.available > 0);
      const price = sku?.price ?? line.priceSeen;
      return {
        id: line.id,
        skuId: line.skuId,
        productId: sku?.productId ?? null,
        merchantId: line.merchantId,
        title: sku?.title ?? '',
        specs: sku?.specs ?? {},
        imageUrl: sku?.imageUrl ?? null,
        price,
        quantity,
        selected: line.selected,
        available: sku?.available ?? 0,
        purchasable,
        lineTotal: price * quantity,
        warnings,
        addedAt: line.addedAt.toISOString(),
      };
    });
    if (caps.length > 0) await repo.setQuantities(db, cart.id, caps, clock.now());

    // Stores in the order of their newest line, lines newest first (as shoppers expect).
    const byStore = new Map<string, CartLineView[]>();
    for (const line of [...lineViews].reverse()) {
      const group = byStore.get(line.merchantId) ?? [];
      group.push(line);
      byStore.set(line.merchantId, group);
    }
    const storeViews = [...byStore].map(([merchantId, group]): CartStoreView => {
      const counted = group.filter((l) => l.selected && l.purchasable);
      const itemsTotal = counted.reduce((sum, l) => sum + l.lineTotal, 0);
      const storeRules = rules.get(merchantId)!;
      const evaluated = counted.length > 0 ? evaluateStoreRules(storeRules, { itemsTotal, lines: counted }) : { shippingFee: 0, unmet: [] };
      return {
        merchantId,
        storeName: stores.get(merchantId)?.name ?? '',
        lines: group,
        selectedQuantity: counted.reduce((sum, l) => sum + l.quantity, 0),
        itemsTotal,
        shippingFee: evaluated.shippingFee,
        total: itemsTotal + evaluated.shippingFee,
        unmet: evaluated.unmet,
        rules: { minOrderAmount: storeRules.minOrderAmount, shippingFee: storeRules.shippingFee, freeShippingFrom: storeRules.freeShippingFrom, maxQuantityPerSku: storeRules.maxQuantityPerSku },
      };
    });
    const sum = (pick: (s: CartStoreView) => number) => storeViews.reduce((acc, s) => acc + pick(s), 0);
    return {
      stores: storeViews,
      summary: {
        lines: lineViews.length,
        quantity: lineViews.reduce((acc, l) => acc + l.quantity, 0),
        selectedQuantity: sum((s) => s.selectedQuantity),
        itemsTotal: sum((s) => s.itemsTotal),
        shippingTotal: sum((s) => s.shippingFee),
        total: sum((s) => s.total),
        currency: 'CNY',
        warnings: lineViews.reduce((acc, l) => acc + l.warnings.length, 0),
      },
    };
  }

  const addLine = repo.addLineStatement(db, deps.catalog.skuFactsSql, { lineCap: MAX_LINE_QUANTITY, maxLines: MAX_LINES });
  // A SKU never changes store: once its store is known, the store's state comes from the store
  // directory's cache and the add is one statement.
  const skuStores = new Map<string, string>();

  async function storeOfSku(skuId: string): Promise<string> {
    const known = skuStores.get(skuId);
    if (known) return known;
    const sku = (await deps.catalog.skuSnapshots(db, [skuId])).get(skuId);
    if (!sku) throw notFound('SKU');
    if (skuStores.size > 100_000) skuStores.clear();
    skuStores.set(skuId, sku.merchantId);
    return sku.merchantId;
  }

  /** Adds units of a SKU (to its line if there is one), capped at what is available. */
  async function addToCart(cart: repo.CartRow, skuId: string, quantity: number) {
    const merchantId = await storeOfSku(skuId);
    const unavailable = () => unprocessable('sku_unavailable', 'This item is not on sale', { skuId });
    if (!(await deps.stores([merchantId])).get(merchantId)?.active) throw unavailable();
    const now = clock.now();
    const { sku, stats, line } = await addLine({ skuId, cartId: cart.id, quantity, at: now, lineId: newId('cartLine'), eventId: newId('event'), actor: actorOf(cart), guestExpiresAt: expiryAfter(cart, now) });
    if (!sku) throw notFound('SKU');
    if (!sku.onSale) throw unavailable();
    if (sku.available === 0) throw conflict('sold_out', 'This item is sold out', { skuId });
    if (!line) throw unprocessable('cart_full', `A cart holds at most ${MAX_LINES} lines`, { max: MAX_LINES });
    const requested = (stats.existing ?? 0) + quantity;
    const warnings: LineWarning[] = requested > line.quantity ? [{ code: 'quantity_capped', requested, available: line.quantity }] : [];
    // The badge's numbers, without another query.
    const count = { lines: stats.lines + (stats.existing === null ? 1 : 0), quantity: stats.quantity - (stats.existing ?? 0) + line.quantity };
    return { line: { id: line.id, skuId, quantity: line.quantity }, warnings, count };
  }

  async function cartOrThrow(owner: CartOwner) {
    const { cart, cookie } = await open(owner, false);
    if (!cart) throw notFound('Cart line');
    return { cart, cookie };
  }

  return {
    open,
    mergeGuestCart,

    async get(owner: CartOwner) {
      const { cart, cookie } = await open(owner, false);
      return { cart: await view(cart), cookie };
    },

    async count(owner: CartOwner) {
      const { cart, cookie } = await open(owner, false);
      return { count: cart ? await repo.countLines(db, cart.id) : { lines: 0, quantity: 0 }, cookie };
    },

    async add(owner: CartOwner, skuId: string, quantity: number) {
      const { cart, cookie } = await open(owner, true);
      return { ...(await addToCart(cart!, skuId, quantity)), cookie };
    },

    /** Changes a line's quantity (capped at what is available) or selection; re-confirms its price. */
    async update(owner: CartOwner, lineId: string, change: { quantity?: number; selected?: boolean }) {
      const { cart, cookie } = await cartOrThrow(owner);
      const line = await repo.findLine(db, cart.id, lineId);
      if (!line) throw notFound('Cart line');
      const sku = (await deps.catalog.skuSnapshots(db, [line.skuId])).get(line.skuId);
      const now = clock.now();
      let quantity = change.quantity;
      if (quantity !== undefined && sku?.onSale && sku.available > 0) quantity = Math.min(quantity, sku.available);
      await repo.updateLine(db, cart.id, lineId, {
        ...(quantity !== undefined ? { quantity } : {}),
        ...(change.selected !== undefined ? { selected: change.selected } : {}),
        // Changing a line is the shopper acting on the price they see now.
        ...(sku ? { priceSeen: sku.price } : {}),
        updatedAt: now,
      });
      await touch(db, cart, now);
      const result = await view(cart);
      if (change.quantity !== undefined && quantity !== change.quantity) {
        const shown = result.stores.flatMap((s) => s.lines).find((l) => l.id === lineId);
        shown?.warnings.push({ code: 'quantity_capped', requested: change.quantity, available: quantity! });
      }
      return { cart: result, cookie };
    },

    async remove(owner: CartOwner, lineIds: string[]) {
      const { cart, cookie } = await cartOrThrow(owner);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.relaxDurability(tx);
        const removed = await repo.deleteLines(tx, cart.id, lineIds);
        if (removed.length !== new Set(lineIds).size) throw notFound('Cart line');
        await touch(tx, cart, now);
        await appendFlowEvent(tx, {
          type: 'cart.remove_item',
          objectType: 'cart',
          objectId: cart.id,
          actor: actorOf(cart),
          occurredAt: now,
          related: removed.map((l) => ({ type: 'sku', id: l.skuId, qualifier: 'item' })),
          data: { lines: removed.length },
        });
      });
      return { cart: await view(cart), cookie };
    },

    /** Selects or unselects every line, or every line of one store. */
    async select(owner: CartOwner, selected: boolean, merchantId?: string) {
      const { cart, cookie } = await open(owner, false);
      if (cart) await repo.selectLines(db, cart.id, selected, merchantId, clock.now());
      return { cart: await view(cart), cookie };
    },

    /** For checkout: the user's lines with these ids (404 when one is not in the user's cart). */
    async linesForCheckout(userId: string, lineIds: readonly string[]) {
      const { cart } = await open({ userId }, false);
      const lines = cart ? await repo.linesOf(db, cart.id) : [];
      const wanted = new Set(lineIds);
      const found = lines.filter((l) => wanted.has(l.id));
      if (found.length !== wanted.size) throw notFound('Cart line');
      return found.map((l) => ({ lineId: l.id, skuId: l.skuId, quantity: l.quantity }));
    },

    /** For checkout's statement: the DELETE of the bought lines from the user's cart (undefined: no cart). */
    async checkedOutSql(userId: string, lineIds: readonly string[]): Promise<SQL | undefined> {
      const cart = userCarts.get(userId) ?? (await repo.findUserCart(db, userId));
      return cart && repo.deleteLinesSql(db, cart.id, lineIds);
    },

    /** 再来一单: puts SKUs back in the user's cart; those no longer on sale are reported, not added. */
    async addMany(userId: string, items: { skuId: string; quantity: number }[]) {
      const { cart } = await open({ userId }, true);
      const added: string[] = [];
      const skipped: { skuId: string; code: string }[] = [];
      for (const item of items) {
        try {
          await addToCart(cart!, item.skuId, item.quantity);
          added.push(item.skuId);
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'sold_out' || code === 'sku_unavailable' || code === 'not_found') skipped.push({ skuId: item.skuId, code: code === 'not_found' ? 'sku_unavailable' : code });
          else throw err;
        }
      }
      return { added, skipped };
    },

    /** Scheduler: forgets guest carts nobody touched for 30 days. */
    sweepExpiredGuestCarts: (now: Date) => repo.deleteExpiredGuestCarts(db, now, 500),
  };
}

export type CartService = ReturnType<typeof createCartService>;
