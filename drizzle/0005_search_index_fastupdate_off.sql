DROP INDEX "persons_search_trgm";--> statement-breakpoint
CREATE INDEX "persons_search_trgm" ON "persons" USING gin ("search_text" gin_trgm_ops) WITH (fastupdate=false);