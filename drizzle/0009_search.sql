CREATE TABLE "search_consumers" (
	"name" text PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	"gaps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_documents" (
	"product_id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"category_id" text NOT NULL,
	"category_ids" text[] NOT NULL,
	"title" text NOT NULL,
	"title_norm" text NOT NULL,
	"terms" "tsvector" NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"price_min" integer NOT NULL,
	"price_max" integer NOT NULL,
	"in_stock" boolean NOT NULL,
	"units_sold" integer DEFAULT 0 NOT NULL,
	"popularity" bigint NOT NULL,
	"facets" text[] NOT NULL,
	"card" jsonb NOT NULL,
	"listed_at" timestamp with time zone NOT NULL,
	"indexed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_queries" (
	"query" text PRIMARY KEY NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"zero_results" integer DEFAULT 0 NOT NULL,
	"last_results" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"docs" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_documents_terms_idx" ON "search_documents" USING gin ("terms");--> statement-breakpoint
CREATE INDEX "search_documents_title_trgm_idx" ON "search_documents" USING gin ("title_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_documents_categories_idx" ON "search_documents" USING gin ("category_ids");--> statement-breakpoint
CREATE INDEX "search_documents_facets_idx" ON "search_documents" USING gin ("facets");--> statement-breakpoint
CREATE INDEX "search_documents_merchant_idx" ON "search_documents" USING btree ("merchant_id","popularity" DESC NULLS LAST,"product_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_documents_popularity_idx" ON "search_documents" USING btree ("popularity" DESC NULLS LAST,"product_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_documents_sales_idx" ON "search_documents" USING btree ("units_sold" DESC NULLS LAST,"product_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_documents_price_idx" ON "search_documents" USING btree ("price_min","product_id");--> statement-breakpoint
CREATE INDEX "search_documents_listed_idx" ON "search_documents" USING btree ("listed_at" DESC NULLS LAST,"product_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_queries_prefix_idx" ON "search_queries" USING btree ("query" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_queries_zero_idx" ON "search_queries" USING btree ("zero_results" DESC NULLS LAST,"query") WHERE "search_queries"."zero_results" > 0;--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gist ("term" gist_trgm_ops);