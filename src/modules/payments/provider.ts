/**
 * What a payment provider (Alipay, WeChat Pay, UnionPay, the sandbox) must offer. Orders and
 * checkout never see a provider; the payments module speaks to one through this interface, so a
 * real provider plugs in without touching them.
 */
export type ProviderNotification = {
  /** Our payment id (the provider's out_trade_no). */
  paymentId: string;
  /** The provider's transaction id; unique per received payment. */
  transactionId: string;
  status: 'succeeded' | 'failed';
  amount: number;
  currency: string;
  occurredAt: Date;
  failureReason?: string;
};

export type ProviderTradeStatus = 'open' | 'paid' | 'declined' | 'closed' | 'unknown';

export interface PaymentProvider {
  readonly name: string;
  /** Opens the trade at the provider; answers where to send the shopper. */
  create(input: { paymentId: string; amount: number; currency: string; subject: string; expiresAt: Date }): Promise<{ payUrl: string }>;
  /** Checks a notification's signature and reads it; throws AppError 400 `invalid_signature` when forged. */
  verifyNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): ProviderNotification;
  /** Asks the provider for the trade's state (reconciliation when a notification never came). */
  query(paymentId: string): Promise<{ status: ProviderTradeStatus; transactionId?: string; amount?: number; currency?: string }>;
  /** Closes an unpaid trade; `closed: false` when it was paid meanwhile (its notification will follow). */
  close(paymentId: string): Promise<{ closed: boolean }>;
  /** Returns money of a paid trade; idempotent per `refundId`. */
  refund(input: { refundId: string; paymentId: string; transactionId: string; amount: number; currency: string; reason: string }): Promise<
    { status: 'succeeded'; providerRefundId: string } | { status: 'failed'; message: string; retryable: boolean }
  >;
}
