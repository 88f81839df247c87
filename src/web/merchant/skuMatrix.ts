// The SKU matrix of the product editor, pure: spec dimensions → combinations → rows.
import { yuanToFen } from '../shared/money';

export interface SpecDimension {
  key: string;
  values: string[];
}

/** One SKU as the editor holds it: money as the yuan text typed, numbers as typed. */
export interface SkuRow {
  code: string;
  price: string | null;
  listPrice: string | null;
  onHand: number | null;
  weightGrams: number | null;
}

export type SpecValues = Record<string, string>;

export const emptyRow = (): SkuRow => ({ code: '', price: null, listPrice: null, onHand: null, weightGrams: null });

/** Every combination of the values of the dimensions that have values, in the dimensions' order. */
export function combinations(dims: readonly SpecDimension[]): SpecValues[] {
  return dims
    .filter((d) => d.values.length > 0)
    .reduce<SpecValues[]>((acc, dim) => acc.flatMap((combo) => dim.values.map((value) => ({ ...combo, [dim.key]: value }))), [{}]);
}

/** A row's identity: its spec values, whatever the order of the dimensions. */
export function comboKey(specs: SpecValues): string {
  return JSON.stringify(Object.entries(specs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export type RowProblem = 'code' | 'codeDuplicate' | 'price' | 'listPrice' | 'onHand' | 'weightGrams';

/** What is wrong with each row before anything is sent, by row key. */
export function rowProblems(keys: readonly string[], rows: Readonly<Record<string, SkuRow>>): Map<string, Set<RowProblem>> {
  const problems = new Map<string, Set<RowProblem>>();
  const add = (key: string, problem: RowProblem) => problems.set(key, (problems.get(key) ?? new Set()).add(problem));
  const seen = new Map<string, string>();
  for (const key of keys) {
    const row = rows[key] ?? emptyRow();
    const code = row.code.trim();
    if (!code || /\s/.test(code) || code.length > 64) add(key, 'code');
    else if (seen.has(code)) {
      add(key, 'codeDuplicate');
      add(seen.get(code)!, 'codeDuplicate');
    } else seen.set(code, key);
    const price = yuanToFen(row.price);
    if (price === null || price < 1) add(key, 'price');
    const listPrice = yuanToFen(row.listPrice);
    if (row.listPrice && (listPrice === null || (price !== null && listPrice < price))) add(key, 'listPrice');
    if (row.onHand !== null && (!Number.isInteger(row.onHand) || row.onHand < 0)) add(key, 'onHand');
    if (row.weightGrams === null || !Number.isInteger(row.weightGrams) || row.weightGrams < 0) add(key, 'weightGrams');
  }
  return problems;
}
