import { TrackingLine } from '../../shared/Tracking';
import { useTrackingSummary } from '../../shared/tracking';
import type { OrderSummary } from '../../shared/commerce';

const TRACKED = new Set(['to_ship', 'shipped', 'delivered', 'completed']);

/** The newest tracking line of an order in 我的订单 (one request for the whole page). */
export function OrderTrackingLine({ order }: { order: Pick<OrderSummary, 'id' | 'state'> }) {
  const summary = useTrackingSummary('buyer', order.id, TRACKED.has(order.state));
  return <TrackingLine summary={summary.data} />;
}
