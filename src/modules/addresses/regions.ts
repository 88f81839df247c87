import { createHash } from 'node:crypto';
import { areaList } from '@vant/area-data';

/**
 * China's administrative divisions (GB/T 2260) as shipped by @vant/area-data: 6-digit codes where
 * a district `PPCCDD` lies in city `PPCC00` in province `PP0000`. The server derives every name
 * from the codes, so a client can never store a name that does not match its code.
 */
export type Region = { code: string; name: string };
export type RegionTree = (Region & { cities: (Region & { districts: Region[] })[] })[];

const provinces = areaList.province_list as Record<string, string>;
const cities = areaList.city_list as Record<string, string>;
const districts = areaList.county_list as Record<string, string>;

export type ResolvedRegion = { province: Region; city: Region; district: Region };

/** The names for three codes, or which code is wrong (unknown, or not inside its parent). */
export function resolveRegion(
  provinceCode: string,
  cityCode: string,
  districtCode: string,
): { ok: true; region: ResolvedRegion } | { ok: false; field: 'provinceCode' | 'cityCode' | 'districtCode'; message: string } {
  const province = provinces[provinceCode];
  if (!province) return { ok: false, field: 'provinceCode', message: 'unknown province code' };
  const city = cities[cityCode];
  if (!city || cityCode.slice(0, 2) !== provinceCode.slice(0, 2)) return { ok: false, field: 'cityCode', message: 'not a city of this province' };
  const district = districts[districtCode];
  if (!district || districtCode.slice(0, 4) !== cityCode.slice(0, 4)) return { ok: false, field: 'districtCode', message: 'not a district of this city' };
  return {
    ok: true,
    region: { province: { code: provinceCode, name: province }, city: { code: cityCode, name: city }, district: { code: districtCode, name: district } },
  };
}

export function isProvinceCode(code: string): boolean {
  return provinces[code] !== undefined;
}

export function provinceName(code: string): string | undefined {
  return provinces[code];
}

function buildTree(): RegionTree {
  const byPrefix = <T>(list: Record<string, string>, length: number, make: (code: string, name: string) => T) => {
    const groups = new Map<string, T[]>();
    for (const [code, name] of Object.entries(list).sort(([a], [b]) => a.localeCompare(b))) {
      const key = code.slice(0, length);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(make(code, name));
    }
    return groups;
  };
  const districtsOf = byPrefix(districts, 4, (code, name) => ({ code, name }));
  const citiesOf = byPrefix(cities, 2, (code, name) => ({ code, name, districts: districtsOf.get(code.slice(0, 4)) ?? [] }));
  return Object.entries(provinces)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, name]) => ({ code, name, cities: citiesOf.get(code.slice(0, 2)) ?? [] }));
}

let cached: { tree: RegionTree; json: string; etag: string } | undefined;

/** The whole tree, its JSON and an ETag; built once per process (about 3,900 divisions). */
export function regionTree() {
  if (!cached) {
    const tree = buildTree();
    const json = JSON.stringify({ provinces: tree });
    cached = { tree, json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"` };
  }
  return cached;
}
