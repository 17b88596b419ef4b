import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_audit_events_action" AS ENUM('read', 'file-download', 'zip-export', 'fhir-export', 'create', 'update', 'delete', 'denied');
  CREATE TYPE "public"."enum_audit_events_role" AS ENUM('admin', 'doctor', 'patient');
  CREATE TYPE "public"."enum_audit_events_channel" AS ENUM('rest', 'graphql', 'local', 'file', 'zip', 'fhir');
  CREATE TABLE "audit_events" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"action" "enum_audit_events_action" NOT NULL,
  	"user" varchar,
  	"role" "enum_audit_events_role",
  	"channel" "enum_audit_events_channel" NOT NULL,
  	"document_collection" varchar,
  	"document_id" varchar,
  	"consultation" varchar,
  	"patient" varchar,
  	"variant" varchar,
  	"status" numeric,
  	"ip" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action");
  CREATE INDEX "audit_events_user_idx" ON "audit_events" USING btree ("user");
  CREATE INDEX "audit_events_document_id_idx" ON "audit_events" USING btree ("document_id");
  CREATE INDEX "audit_events_consultation_idx" ON "audit_events" USING btree ("consultation");
  CREATE INDEX "audit_events_patient_idx" ON "audit_events" USING btree ("patient");
  CREATE INDEX "audit_events_updated_at_idx" ON "audit_events" USING btree ("updated_at");
  CREATE INDEX "audit_events_created_at_idx" ON "audit_events" USING btree ("created_at");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE "audit_events" CASCADE;
  DROP TYPE "public"."enum_audit_events_action";
  DROP TYPE "public"."enum_audit_events_role";
  DROP TYPE "public"."enum_audit_events_channel";`)
}
