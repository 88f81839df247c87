import { defineMachine } from '../../platform/states.js';

export const shipmentStates = ['awaiting_pickup', 'in_transit', 'out_for_delivery', 'delivered', 'exception'] as const;
export type ShipmentState = (typeof shipmentStates)[number];

/**
 * One parcel (包裹), moved by the carrier's tracking events (Kuaidi100 state codes, DESIGN §5):
 *
 *   awaiting_pickup (已发货) ─collect (1 揽收)→ in_transit ─dispatch (5 派件)→ out_for_delivery
 *     ─sign (3 签收)→ delivered
 *   move (0 在途, 7 转投, 8 清关) brings a parcel (back) to in_transit;
 *   flag (2 疑难, 4 退签, 6 退回, 14 拒签, tracking stopped) → exception, which any later
 *   normal event leaves again. delivered is final.
 *
 * The state follows the latest event by event time, not by arrival, so a late push of an older
 * event never moves a parcel back.
 */
export const shipmentMachine = defineMachine({
  objectType: 'shipment',
  states: shipmentStates,
  initial: 'awaiting_pickup',
  rows: [
    { from: ['awaiting_pickup', 'exception'], event: 'collect', to: 'in_transit' },
    { from: ['awaiting_pickup', 'out_for_delivery', 'exception'], event: 'move', to: 'in_transit' },
    { from: ['awaiting_pickup', 'in_transit', 'exception'], event: 'dispatch', to: 'out_for_delivery' },
    { from: ['awaiting_pickup', 'in_transit', 'out_for_delivery', 'exception'], event: 'sign', to: 'delivered' },
    { from: ['awaiting_pickup', 'in_transit', 'out_for_delivery'], event: 'flag', to: 'exception' },
  ],
});

export type ShipmentEvent = (typeof shipmentMachine.rows)[number]['event'];

/** Kuaidi100 main state codes (物流状态). */
export const trackingCodes = {
  0: '在途',
  1: '揽收',
  2: '疑难',
  3: '签收',
  4: '退签',
  5: '派件',
  6: '退回',
  7: '转投',
  8: '清关',
  14: '拒签',
} as const;
export type TrackingCode = keyof typeof trackingCodes;

export const exceptionKinds = ['difficult', 'returned_signed', 'returning', 'refused', 'tracking_stopped'] as const;
export type ExceptionKind = (typeof exceptionKinds)[number];

/** What a tracking event in state `code` asks of the parcel. */
export function shipmentEventFor(code: TrackingCode): { event: ShipmentEvent; exception?: ExceptionKind } {
  switch (code) {
    case 1:
      return { event: 'collect' };
    case 5:
      return { event: 'dispatch' };
    case 3:
      return { event: 'sign' };
    case 2:
      return { event: 'flag', exception: 'difficult' };
    case 4:
      return { event: 'flag', exception: 'returned_signed' };
    case 6:
      return { event: 'flag', exception: 'returning' };
    case 14:
      return { event: 'flag', exception: 'refused' };
    default:
      return { event: 'move' };
  }
}
