// Money in the UI: the API speaks integer fen (分), people type and read yuan (元).

const YUAN = /^\s*(\d{1,9})(?:\.(\d{0,2}))?\s*$/;

/**
 * Exact yuan → fen: "12.3" → 1230. Parsed as text so no float rounding can creep in; null for
 * anything that is not a non-negative amount with at most two decimals.
 */
export function yuanToFen(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? value.toFixed(2) : value;
  const match = YUAN.exec(text);
  if (!match) return null;
  const cents = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(cents);
}

/** fen → "12.30", the text an input shows. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** fen → "¥12.30" for reading. */
export function formatFen(fen: number): string {
  return `¥${fenToYuan(fen)}`;
}

/** A price range "¥79.00" or "¥79.00 - ¥99.00". */
export function formatFenRange(min: number, max: number): string {
  return min === max ? formatFen(min) : `${formatFen(min)} - ${formatFen(max)}`;
}
