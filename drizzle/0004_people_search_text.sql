DROP INDEX "persons_name_trgm";--> statement-breakpoint
DROP INDEX "persons_email_trgm";--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(name || ' ' || email)) STORED;--> statement-breakpoint
CREATE INDEX "persons_search_trgm" ON "persons" USING gin ("search_text" gin_trgm_ops);