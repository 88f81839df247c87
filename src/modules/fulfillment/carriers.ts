/**
 * Carriers by their Kuaidi100 company code (the `com` of the poll and push protocol), with the
 * formats their tracking numbers take where they are known. A pattern is a guard against typos
 * (a number pasted into the wrong carrier), so it is kept a little wider than the carrier's
 * current format: refusing a real parcel is worse than letting an odd one through.
 */
import { unprocessable } from '../../platform/errors.js';

export type Carrier = {
  /** Kuaidi100 company code. */
  code: string;
  nameZh: string;
  nameEn: string;
  /** The tracking number format, when known. */
  pattern: RegExp | null;
  /** An example number, for forms and error messages. */
  example: string;
};

export const carriers = [
  { code: 'shunfeng', nameZh: '顺丰速运', nameEn: 'SF Express', pattern: /^(SF\d{12,13}|\d{12})$/, example: 'SF1234567890123' },
  { code: 'zhongtong', nameZh: '中通快递', nameEn: 'ZTO Express', pattern: /^\d{12,15}$/, example: '781234567890' },
  { code: 'yuantong', nameZh: '圆通速递', nameEn: 'YTO Express', pattern: /^(YT\d{13}|\d{10,12})$/, example: 'YT1234567890123' },
  { code: 'yunda', nameZh: '韵达快递', nameEn: 'Yunda Express', pattern: /^\d{13}$|^\d{15}$/, example: '4312345678901' },
  { code: 'shentong', nameZh: '申通快递', nameEn: 'STO Express', pattern: /^\d{12,15}$/, example: '773123456789012' },
  { code: 'jtexpress', nameZh: '极兔速递', nameEn: 'J&T Express', pattern: /^JT\d{13}$/, example: 'JT1234567890123' },
  { code: 'huitongkuaidi', nameZh: '百世快递', nameEn: 'Best Express', pattern: /^\d{12,14}$/, example: '712345678901' },
  { code: 'ems', nameZh: 'EMS', nameEn: 'EMS', pattern: /^([A-Z]{2}\d{9}[A-Z]{2}|1\d{12})$/, example: 'EA123456789CN' },
  { code: 'youzhengguonei', nameZh: '邮政快递包裹', nameEn: 'China Post Parcel', pattern: /^([A-Z]{2}\d{9}[A-Z]{2}|9\d{12})$/, example: '9812345678901' },
  { code: 'jd', nameZh: '京东物流', nameEn: 'JD Logistics', pattern: /^JD[0-9A-Z]{11,16}$/, example: 'JDVA12345678901' },
  { code: 'debangwuliu', nameZh: '德邦快递', nameEn: 'Deppon', pattern: /^(DPK\d{12}|\d{8,10})$/, example: 'DPK123456789012' },
  { code: 'zhaijisong', nameZh: '宅急送', nameEn: 'ZJS Express', pattern: /^\d{10}$/, example: '1234567890' },
  { code: 'danniao', nameZh: '丹鸟', nameEn: 'Danniao', pattern: null, example: '9876543210123' },
  { code: 'sandbox', nameZh: 'Flowmart 沙箱快递', nameEn: 'Flowmart sandbox carrier', pattern: /^SBX\d{10}$/, example: 'SBX0000000001' },
] as const satisfies readonly Carrier[];

export type CarrierCode = (typeof carriers)[number]['code'];
export const carrierCodes = carriers.map((c) => c.code) as [CarrierCode, ...CarrierCode[]];

const byCode = new Map<string, Carrier>(carriers.map((c) => [c.code, c]));

export function carrierOf(code: string): Carrier | undefined {
  return byCode.get(code);
}

/** Every number, whatever the carrier: letters, digits and dashes, 6 to 32 of them. */
const ANY_NUMBER = /^[A-Z0-9-]{6,32}$/;

/** Tracking numbers are compared without spaces and in upper case (运单号 are case-blind). */
export function normalizeTrackingNumber(raw: string): string {
  return raw.replace(/[\s\u3000]+/g, '').toUpperCase();
}

/** Whether `number` (normalized) can be a tracking number of `carrier`. */
export function isTrackingNumberOf(carrier: Carrier, number: string): boolean {
  return ANY_NUMBER.test(number) && (carrier.pattern === null || carrier.pattern.test(number));
}

/** A carrier code and a tracking number someone typed, checked and normalized; a 422 names what is wrong. */
export function checkParcel(code: string, raw: string): { carrier: string; trackingNumber: string } {
  const carrier = carrierOf(code);
  if (!carrier) throw unprocessable('unknown_carrier', `${code} is not a known carrier code`, { carrier: code });
  const trackingNumber = normalizeTrackingNumber(raw);
  if (!isTrackingNumberOf(carrier, trackingNumber)) {
    throw unprocessable('invalid_tracking_number', `${trackingNumber} is not a ${carrier.nameEn} tracking number (e.g. ${carrier.example})`, { carrier: carrier.code, example: carrier.example });
  }
  return { carrier: carrier.code, trackingNumber };
}
