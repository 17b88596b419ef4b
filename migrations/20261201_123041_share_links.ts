import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TYPE "public"."enum_audit_events_action" ADD VALUE 'share';
  ALTER TYPE "public"."enum_audit_events_action" ADD VALUE 'share-open';
  ALTER TYPE "public"."enum_audit_events_channel" ADD VALUE 'share';
  CREATE TABLE "share_links" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"consultation_id" integer,
  	"lesion_id" integer,
  	"expires_at" timestamp(3) with time zone NOT NULL,
  	"hide_identity" boolean DEFAULT false,
  	"note" varchar,
  	"created_by_id" integer,
  	"revoked_at" timestamp(3) with time zone,
  	"revoked_by_id" integer,
  	"token_hash" varchar NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "share_links" ADD CONSTRAINT "share_links_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "share_links" ADD CONSTRAINT "share_links_lesion_id_lesions_id_fk" FOREIGN KEY ("lesion_id") REFERENCES "public"."lesions"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "share_links" ADD CONSTRAINT "share_links_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "share_links" ADD CONSTRAINT "share_links_revoked_by_id_users_id_fk" FOREIGN KEY ("revoked_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "share_links_consultation_idx" ON "share_links" USING btree ("consultation_id");
  CREATE INDEX "share_links_lesion_idx" ON "share_links" USING btree ("lesion_id");
  CREATE INDEX "share_links_expires_at_idx" ON "share_links" USING btree ("expires_at");
  CREATE INDEX "share_links_created_by_idx" ON "share_links" USING btree ("created_by_id");
  CREATE INDEX "share_links_revoked_by_idx" ON "share_links" USING btree ("revoked_by_id");
  CREATE UNIQUE INDEX "share_links_token_hash_idx" ON "share_links" USING btree ("token_hash");
  CREATE INDEX "share_links_updated_at_idx" ON "share_links" USING btree ("updated_at");
  CREATE INDEX "share_links_created_at_idx" ON "share_links" USING btree ("created_at");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE "share_links" CASCADE;
  -- The old enums cannot hold the share events: they go with the links they refer to.
  DELETE FROM "audit_events" WHERE "action" IN ('share', 'share-open') OR "channel" = 'share';
  ALTER TABLE "audit_events" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_events_action";
  CREATE TYPE "public"."enum_audit_events_action" AS ENUM('read', 'file-download', 'zip-export', 'fhir-export', 'create', 'update', 'delete', 'denied');
  ALTER TABLE "audit_events" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_events_action" USING "action"::"public"."enum_audit_events_action";
  ALTER TABLE "audit_events" ALTER COLUMN "channel" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_events_channel";
  CREATE TYPE "public"."enum_audit_events_channel" AS ENUM('rest', 'graphql', 'local', 'file', 'zip', 'fhir');
  ALTER TABLE "audit_events" ALTER COLUMN "channel" SET DATA TYPE "public"."enum_audit_events_channel" USING "channel"::"public"."enum_audit_events_channel";`)
}
