import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { badRequest, notFound, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { resolveRegion } from './regions.js';
import * as repo from './repo.js';

/** How many addresses one user may keep (as on the large platforms). */
export const MAX_ADDRESSES = 20;

export type AddressInput = {
  recipient: string;
  mobile: string;
  provinceCode: string;
  cityCode: string;
  districtCode: string;
  detail: string;
  postalCode?: string | null;
  isDefault?: boolean;
};

/** What an order keeps of the address it ships to: a copy, so later edits do not move parcels. */
export type AddressSnapshot = {
  addressId: string;
  recipient: string;
  mobile: string;
  provinceCode: string;
  provinceName: string;
  cityCode: string;
  cityName: string;
  districtCode: string;
  districtName: string;
  detail: string;
  postalCode: string | null;
};

export function createAddressesService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  function regionOf(input: Pick<AddressInput, 'provinceCode' | 'cityCode' | 'districtCode'>) {
    const resolved = resolveRegion(input.provinceCode, input.cityCode, input.districtCode);
    if (!resolved.ok) {
      throw badRequest('invalid_region', 'The province, city and district do not fit together', {
        fields: [{ path: `body.${resolved.field}`, message: resolved.message }],
      });
    }
    const { province, city, district } = resolved.region;
    return {
      provinceCode: province.code,
      provinceName: province.name,
      cityCode: city.code,
      cityName: city.name,
      districtCode: district.code,
      districtName: district.name,
    };
  }

  async function owned(userId: string, id: string) {
    const row = await repo.findOwned(db, userId, id);
    // Another user's address is simply not there.
    if (!row) throw notFound('Address');
    return row;
  }

  return {
    list: (userId: string) => repo.listOf(db, userId),

    get: owned,

    async create(userId: string, input: AddressInput) {
      const region = regionOf(input);
      const at = clock.now();
      return db.transaction(async (tx) => {
        await repo.lockBook(tx, userId);
        const count = await repo.countOf(tx, userId);
        if (count >= MAX_ADDRESSES) throw unprocessable('address_book_full', `At most ${MAX_ADDRESSES} addresses; delete one first`, { max: MAX_ADDRESSES });
        // The first address is the default whatever the client says.
        const isDefault = count === 0 || input.isDefault === true;
        if (isDefault) await repo.clearDefault(tx, userId);
        return repo.insert(tx, {
          id: newId('address'),
          userId,
          recipient: input.recipient,
          mobile: input.mobile,
          ...region,
          detail: input.detail,
          postalCode: input.postalCode ?? null,
          isDefault,
          createdAt: at,
          updatedAt: at,
        });
      });
    },

    async update(userId: string, id: string, changes: Partial<AddressInput>) {
      const current = await owned(userId, id);
      const codesChanged = changes.provinceCode !== undefined || changes.cityCode !== undefined || changes.districtCode !== undefined;
      // A region is changed as a whole: a new city with the old district would not fit.
      const region = codesChanged
        ? regionOf({
            provinceCode: changes.provinceCode ?? current.provinceCode,
            cityCode: changes.cityCode ?? current.cityCode,
            districtCode: changes.districtCode ?? current.districtCode,
          })
        : {};
      return db.transaction(async (tx) => {
        await repo.lockBook(tx, userId);
        if (changes.isDefault === true) await repo.clearDefault(tx, userId, id);
        // Unsetting the default directly is not a thing: another address becomes the default instead.
        const { isDefault, provinceCode: _p, cityCode: _c, districtCode: _d, ...plain } = changes;
        const row = await repo.update(tx, userId, id, {
          ...plain,
          ...region,
          ...(isDefault === true ? { isDefault: true } : {}),
          updatedAt: clock.now(),
        });
        if (!row) throw notFound('Address');
        return row;
      });
    },

    async setDefault(userId: string, id: string) {
      return db.transaction(async (tx) => {
        await repo.lockBook(tx, userId);
        if (!(await repo.findOwned(tx, userId, id))) throw notFound('Address');
        await repo.clearDefault(tx, userId, id);
        return (await repo.update(tx, userId, id, { isDefault: true, updatedAt: clock.now() }))!;
      });
    },

    async remove(userId: string, id: string) {
      await db.transaction(async (tx) => {
        await repo.lockBook(tx, userId);
        const removed = await repo.remove(tx, userId, id);
        if (!removed) throw notFound('Address');
        if (removed.isDefault) {
          const next = await repo.latestOf(tx, userId);
          if (next) await repo.update(tx, userId, next.id, { isDefault: true });
        }
      });
    },

    /** For checkout: a copy of the user's address, or 404 when it is not theirs. */
    async snapshot(userId: string, id: string): Promise<AddressSnapshot> {
      const a = await owned(userId, id);
      return {
        addressId: a.id,
        recipient: a.recipient,
        mobile: a.mobile,
        provinceCode: a.provinceCode,
        provinceName: a.provinceName,
        cityCode: a.cityCode,
        cityName: a.cityName,
        districtCode: a.districtCode,
        districtName: a.districtName,
        detail: a.detail,
        postalCode: a.postalCode,
      };
    },
  };
}

export type AddressesService = ReturnType<typeof createAddressesService>;
