CREATE TABLE "sandbox_pay_refunds" (
	"refund_id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"amount" integer NOT NULL,
	"provider_refund_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
