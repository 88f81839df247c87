/**
 * 批量发货 files: three columns — order, carrier, tracking number — with an optional header row.
 * The carrier is a Kuaidi100 code or a carrier's name (顺丰速运, SF Express). RFC 4180 quoting.
 */
import { carriers } from './carriers.js';

/** The cells of each non-empty line (quotes, doubled quotes, CR/LF, a BOM). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((x) => x.trim() !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  row.push(cell);
  if (row.some((x) => x.trim() !== '')) rows.push(row);
  return rows;
}

const names = new Map<string, string>(carriers.flatMap((c) => [[c.code, c.code], [c.nameZh.toLowerCase(), c.code], [c.nameEn.toLowerCase(), c.code], [c.nameZh.replace(/(速运|快递|速递|物流)$/, ''), c.code]]));

/** A carrier cell as a Kuaidi100 code (unknown names pass through, to be reported per row). */
export function carrierCode(cell: string): string {
  const key = cell.trim().toLowerCase();
  return names.get(key) ?? key;
}

const HEADER = /^(order|order_?id|订单|订单号|订单编号)$/i;

export function shipmentRowsFromCsv(text: string): { orderId: string; carrier: string; trackingNumber: string }[] {
  const rows = parseCsv(text);
  if (rows[0] && HEADER.test(rows[0][0]?.trim() ?? '')) rows.shift();
  return rows.map((r) => ({ orderId: (r[0] ?? '').trim(), carrier: carrierCode(r[1] ?? ''), trackingNumber: (r[2] ?? '').trim() }));
}
