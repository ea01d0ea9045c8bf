DROP INDEX "persons_account_idx";--> statement-breakpoint
CREATE INDEX "persons_name_trgm" ON "persons" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "persons_email_trgm" ON "persons" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "persons_account_idx" ON "persons" USING btree ("account_id","name");