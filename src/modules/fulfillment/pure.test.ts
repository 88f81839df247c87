import { describe, expect, it } from 'vitest';
import { carrierOf, carriers, isTrackingNumberOf, normalizeTrackingNumber } from './carriers.js';
import { carrierCode, parseCsv, shipmentRowsFromCsv } from './csv.js';
import { codeOfEvent, formatChinaTime, isValidPushSign, mainCode, parseChinaTime, pushSign, saltFor } from './kuaidi100.js';
import { parsePlace, pushParam, sandboxScript } from './sandbox-carrier.js';
import { unshippedOf } from './shipping.js';
import { shipmentEventFor, shipmentMachine, shipmentStates, trackingCodes } from './states.js';
import { belongsToOrder } from './stream.js';

describe('the shipment state machine', () => {
  it('walks every row and refuses everything else', () => {
    const expected: Record<string, string> = {
      'awaiting_pickup collect': 'in_transit',
      'exception collect': 'in_transit',
      'awaiting_pickup move': 'in_transit',
      'out_for_delivery move': 'in_transit',
      'exception move': 'in_transit',
      'awaiting_pickup dispatch': 'out_for_delivery',
      'in_transit dispatch': 'out_for_delivery',
      'exception dispatch': 'out_for_delivery',
      'awaiting_pickup sign': 'delivered',
      'in_transit sign': 'delivered',
      'out_for_delivery sign': 'delivered',
      'exception sign': 'delivered',
      'awaiting_pickup flag': 'exception',
      'in_transit flag': 'exception',
      'out_for_delivery flag': 'exception',
    };
    const events = [...new Set(shipmentMachine.rows.map((r) => r.event))];
    for (const from of shipmentStates) for (const event of events) expect(shipmentMachine.next(from, event), `${from} ${event}`).toBe(expected[`${from} ${event}`]);
    expect(shipmentMachine.eventsFrom('delivered')).toEqual([]);
  });

  it('maps every Kuaidi100 state to a move; 疑难 退签 退回 拒签 are exceptions', () => {
    const moves = Object.fromEntries(Object.keys(trackingCodes).map((c) => [c, shipmentEventFor(Number(c) as keyof typeof trackingCodes)]));
    expect(moves).toEqual({
      0: { event: 'move' },
      1: { event: 'collect' },
      2: { event: 'flag', exception: 'difficult' },
      3: { event: 'sign' },
      4: { event: 'flag', exception: 'returned_signed' },
      5: { event: 'dispatch' },
      6: { event: 'flag', exception: 'returning' },
      7: { event: 'move' },
      8: { event: 'move' },
      14: { event: 'flag', exception: 'refused' },
    });
  });
});

describe('the Kuaidi100 protocol', () => {
  it('signs as upper-case MD5(param + salt) and checks it in constant time', () => {
    expect(pushSign('{"a":1}', 's')).toMatch(/^[0-9A-F]{32}$/);
    // md5("hello world") = 5eb63bbbe01eeed093cb22bb8f5acdc3
    expect(pushSign('hello ', 'world')).toBe('5EB63BBBE01EEED093CB22BB8F5ACDC3');
    expect(isValidPushSign('hello ', 'world', '5eb63bbbe01eeed093cb22bb8f5acdc3')).toBe(true);
    expect(isValidPushSign('hello ', 'world!', '5EB63BBBE01EEED093CB22BB8F5ACDC3')).toBe(false);
    expect(isValidPushSign('hello ', 'world', 'short')).toBe(false);
    expect(saltFor('secret-secret-secret', 'sandbox', 'SBX1')).not.toBe(saltFor('secret-secret-secret', 'sandbox', 'SBX2'));
  });

  it('reads main states, resultv2 sub-states and status words', () => {
    expect([0, 1, 3, 14, 101, 1001, 301, 1401, 501, 204, 99, -1].map(mainCode)).toEqual([0, 1, 3, 14, 1, 0, 3, 14, 5, 2, undefined, undefined]);
    expect(codeOfEvent({ status: '签收' })).toBe(3);
    expect(codeOfEvent({ status: '拒签' })).toBe(14);
    expect(codeOfEvent({ status: '在途', statusCode: 501 })).toBe(5);
    expect(codeOfEvent({ status: '其他' })).toBeUndefined();
  });

  it('times are Beijing wall-clock times', () => {
    expect(parseChinaTime('2026-01-02 08:04:05')!.toISOString()).toBe('2026-01-02T00:04:05.000Z');
    expect(parseChinaTime('2026-01-02 08:04')!.toISOString()).toBe('2026-01-02T00:04:00.000Z');
    expect(parseChinaTime('yesterday')).toBeUndefined();
    expect(formatChinaTime(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01 04:00:00');
  });
});

describe('carriers', () => {
  it('checks numbers against the carrier’s format where known', () => {
    const ok = (code: string, n: string) => isTrackingNumberOf(carrierOf(code)!, normalizeTrackingNumber(n));
    for (const c of carriers) expect(ok(c.code, c.example), c.code).toBe(true);
    expect(ok('shunfeng', 'sf 1234 5678 90123')).toBe(true);
    expect(ok('shunfeng', 'JT1234567890123')).toBe(false);
    expect(ok('jtexpress', 'JT123')).toBe(false);
    expect(ok('ems', 'EA123456789CN')).toBe(true);
    expect(ok('danniao', 'ANY-THING-1234')).toBe(true);
    expect(ok('danniao', 'x')).toBe(false);
    expect(ok('danniao', '运单号123456')).toBe(false);
  });
});

describe('the sandbox carrier', () => {
  it('plays a journey from another city to the buyer’s, over the span, ending by the number', () => {
    const start = new Date('2026-03-01T00:00:00Z');
    const script = sandboxScript('SBX0000000001', '浙江省杭州市西湖区', start, 60_000);
    expect(script.map((e) => e.status)).toEqual(['揽收', '在途', '在途', '在途', '在途', '派件', '签收']);
    const times = script.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]! - start.getTime()).toBeLessThan(5_000);
    expect(times.at(-1)! - start.getTime()).toBe(60_000);
    expect(script.at(-1)!.context).toContain('【杭州市】');
    expect(script[0]!.context).not.toContain('杭州市');
    expect(sandboxScript('SBX0000000001', '浙江省杭州市西湖区', start, 60_000)).toEqual(script);
    expect(sandboxScript('SBX0000000002', '北京市北京市朝阳区', start, 60_000).at(-1)!.status).toBe('疑难');
    expect(sandboxScript('SBX0000000014', undefined, start, 60_000).at(-1)!.status).toBe('拒签');
    expect(sandboxScript('SBX0000000004', undefined, start, 60_000).at(-1)!.status).toBe('退签');

    const param = JSON.parse(pushParam('sandbox', 'SBX0000000001', script, 3));
    expect(param).toMatchObject({ status: 'polling', lastResult: { com: 'sandbox', nu: 'SBX0000000001', state: '0', ischeck: '0' } });
    expect(param.lastResult.data.map((e: { context: string }) => e.context)).toEqual([script[2]!.context, script[1]!.context, script[0]!.context]);
    expect(JSON.parse(pushParam('sandbox', 'SBX0000000001', script, 7))).toMatchObject({ status: 'shutdown', lastResult: { state: '3', ischeck: '1' } });
  });

  it('reads addresses of provinces and of municipalities', () => {
    expect(parsePlace('浙江省杭州市西湖区')).toEqual({ province: '浙江省', city: '杭州市', district: '西湖区' });
    expect(parsePlace('上海市浦东新区')).toEqual({ province: '上海市', city: '上海市', district: '浦东新区' });
    expect(parsePlace('北京市北京市朝阳区')).toMatchObject({ city: '北京市' });
    expect(parsePlace('广西壮族自治区南宁市青秀区')).toEqual({ province: '广西壮族自治区', city: '南宁市', district: '青秀区' });
  });
});

describe('shipping helpers', () => {
  it('counts what is left to ship', () => {
    expect([...unshippedOf([{ id: 'a', quantity: 3 }, { id: 'b', quantity: 1 }], [{ orderItemId: 'a', quantity: 2 }])]).toEqual([['a', 1], ['b', 1]]);
  });

  it('reads shipping CSV files', () => {
    expect(parseCsv('a,"b,""c"""\r\n\r\nd,e\n')).toEqual([['a', 'b,"c"'], ['d', 'e']]);
    expect(shipmentRowsFromCsv('\uFEFForder,carrier,number\nord_1, 顺丰 ,SF1\nord_2,SF Express,SF2')).toEqual([
      { orderId: 'ord_1', carrier: 'shunfeng', trackingNumber: 'SF1' },
      { orderId: 'ord_2', carrier: 'shunfeng', trackingNumber: 'SF2' },
    ]);
    expect(carrierCode('极兔速递')).toBe('jtexpress');
    expect(carrierCode('UPS')).toBe('ups');
  });

  it('streams the order’s own events and its parcels’ events only', () => {
    expect(belongsToOrder('ord_1', { objectType: 'order', objectId: 'ord_1', related: [] })).toBe(true);
    expect(belongsToOrder('ord_1', { objectType: 'order', objectId: 'ord_2', related: [{ type: 'order', id: 'ord_1' }] })).toBe(false);
    expect(belongsToOrder('ord_1', { objectType: 'shipment', objectId: 'shp_1', related: [{ type: 'order', id: 'ord_1' }] })).toBe(true);
    expect(belongsToOrder('ord_1', { objectType: 'refund', objectId: 'rfd_1', related: [{ type: 'order', id: 'ord_1' }] })).toBe(false);
  });
});
