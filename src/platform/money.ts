/**
 * Money is an integer count of minor units (fen for CNY) with a currency code; never a float.
 */
export type Currency = 'CNY';
export type Money = { amount: number; currency: Currency };

export function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an integer amount of minor units: ${amount}`);
}

export function money(amount: number, currency: Currency = 'CNY'): Money {
  assertMinorUnits(amount);
  return { amount, currency };
}

export function sumMinor(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    assertMinorUnits(a);
    total += a;
  }
  assertMinorUnits(total);
  return total;
}

/**
 * Splits `total` minor units in proportion to `weights` by the largest-remainder method:
 * each part gets the floor of its exact share, and the units left over go to the parts with the
 * largest fractional remainders (ties to the earlier part). The parts always sum to `total`.
 * Used to prorate discounts, shipping fees and refunds across order lines.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total);
  if (weights.length === 0) throw new RangeError('cannot split across zero parts');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers: ${w}`);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  // With nothing to weigh by, split evenly.
  const effective = weightSum === 0 ? weights.map(() => 1) : weights;
  const effectiveSum = weightSum === 0 ? weights.length : weightSum;
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  // BigInt keeps abs * weight exact even when the product exceeds 2^53.
  const parts = effective.map((w, index) => {
    const exact = BigInt(abs) * BigInt(w);
    return { index, floor: exact / BigInt(effectiveSum), remainder: exact % BigInt(effectiveSum) };
  });
  let left = abs - parts.reduce((acc, p) => acc + Number(p.floor), 0);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const result = parts.map((p) => Number(p.floor));
  for (const p of byRemainder) {
    if (left === 0) break;
    result[p.index]! += 1;
    left -= 1;
  }
  return result.map((r) => r * sign);
}

/** `12345` → `"123.45"`; display only, never parse this back into money. */
export function formatMinor(amount: number): string {
  assertMinorUnits(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
