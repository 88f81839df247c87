import { describe, expect, it } from 'vitest';
import { formatMinor, splitByWeights, sumMinor } from './money.js';

describe('splitByWeights (largest remainder)', () => {
  it('splits 100 fen in three equal parts as 34/33/33', () => {
    expect(splitByWeights(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('gives the leftover units to the largest remainders', () => {
    // exact shares: 1000 * 1/6 = 166.67, 2/6 = 333.33, 3/6 = 500
    expect(splitByWeights(1000, [1, 2, 3])).toEqual([167, 333, 500]);
  });

  it('always sums to the whole, over many random cases', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const total = rand(10_000_000) - 1_000_000;
      const weights = Array.from({ length: 1 + rand(8) }, () => rand(100_000));
      const parts = splitByWeights(total, weights);
      expect(sumMinor(parts)).toBe(total);
      expect(parts).toHaveLength(weights.length);
    }
  });

  it('splits evenly when every weight is zero, and keeps the sign of refunds', () => {
    expect(splitByWeights(5, [0, 0])).toEqual([3, 2]);
    expect(splitByWeights(-5, [1, 1])).toEqual([-3, -2]);
  });

  it('stays exact for amounts times weights beyond 2^53', () => {
    const parts = splitByWeights(9_000_000_000_000, [3_000_000, 1]);
    expect(sumMinor(parts)).toBe(9_000_000_000_000);
  });

  it('refuses floats and empty splits', () => {
    expect(() => splitByWeights(10.5, [1])).toThrow(RangeError);
    expect(() => splitByWeights(10, [])).toThrow(RangeError);
    expect(() => splitByWeights(10, [1.5])).toThrow(RangeError);
  });
});

describe('formatMinor', () => {
  it('formats fen as yuan for display', () => {
    expect(formatMinor(12_345)).toBe('123.45');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(-250)).toBe('-2.50');
  });
});
