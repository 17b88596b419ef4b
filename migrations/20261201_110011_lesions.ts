import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_consultation_images_role" AS ENUM('baseline', 'follow-up', 'pre-treatment', 'post-treatment');
  CREATE TYPE "public"."enum_lesions_body_site" AS ENUM('scalp', 'forehead', 'face', 'eyelid', 'nose', 'cheek', 'ear', 'lips', 'neck', 'chest', 'abdomen', 'groin', 'upper-back', 'lower-back', 'buttock', 'axilla', 'flank', 'shoulder', 'upper-arm', 'elbow', 'forearm', 'hand-dorsum', 'fingers', 'fingernails', 'palm', 'sole', 'thigh', 'knee', 'lower-leg', 'foot-dorsum', 'toes', 'toenails', 'oral-mucosa', 'genitals', 'perianal');
  CREATE TYPE "public"."enum_lesions_laterality" AS ENUM('left', 'right', 'bilateral', 'midline');
  CREATE TYPE "public"."enum_lesions_status" AS ENUM('monitoring', 'biopsied', 'excised', 'resolved');
  CREATE TABLE "lesions" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"patient_id" integer NOT NULL,
  	"label" varchar NOT NULL,
  	"body_site" "enum_lesions_body_site",
  	"laterality" "enum_lesions_laterality",
  	"status" "enum_lesions_status" DEFAULT 'monitoring' NOT NULL,
  	"notes" varchar,
  	"created_by_id" integer,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "consultation_images" ADD COLUMN "lesion_id" integer;
  ALTER TABLE "consultation_images" ADD COLUMN "role" "enum_consultation_images_role";
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "lesions_id" integer;
  ALTER TABLE "lesions" ADD CONSTRAINT "lesions_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "lesions" ADD CONSTRAINT "lesions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "lesions_patient_idx" ON "lesions" USING btree ("patient_id");
  CREATE INDEX "lesions_body_site_idx" ON "lesions" USING btree ("body_site");
  CREATE INDEX "lesions_created_by_idx" ON "lesions" USING btree ("created_by_id");
  CREATE INDEX "lesions_updated_at_idx" ON "lesions" USING btree ("updated_at");
  CREATE INDEX "lesions_created_at_idx" ON "lesions" USING btree ("created_at");
  ALTER TABLE "consultation_images" ADD CONSTRAINT "consultation_images_lesion_id_lesions_id_fk" FOREIGN KEY ("lesion_id") REFERENCES "public"."lesions"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_lesions_fk" FOREIGN KEY ("lesions_id") REFERENCES "public"."lesions"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "consultation_images_lesion_idx" ON "consultation_images" USING btree ("lesion_id");
  CREATE INDEX "payload_locked_documents_rels_lesions_id_idx" ON "payload_locked_documents_rels" USING btree ("lesions_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "lesions" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "lesions" CASCADE;
  ALTER TABLE "consultation_images" DROP CONSTRAINT "consultation_images_lesion_id_lesions_id_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_lesions_fk";
  
  DROP INDEX "consultation_images_lesion_idx";
  DROP INDEX "payload_locked_documents_rels_lesions_id_idx";
  ALTER TABLE "consultation_images" DROP COLUMN "lesion_id";
  ALTER TABLE "consultation_images" DROP COLUMN "role";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "lesions_id";
  DROP TYPE "public"."enum_consultation_images_role";
  DROP TYPE "public"."enum_lesions_body_site";
  DROP TYPE "public"."enum_lesions_laterality";
  DROP TYPE "public"."enum_lesions_status";`)
}
