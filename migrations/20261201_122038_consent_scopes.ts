import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_consultation_images_consent_scopes" AS ENUM('care', 'second-opinion', 'teaching', 'research');
  CREATE TABLE "consultation_images_consent_scopes" (
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"value" "enum_consultation_images_consent_scopes",
  	"id" serial PRIMARY KEY NOT NULL
  );
  
  ALTER TABLE "consultation_images" ADD COLUMN "consent_recorded_by_id" integer;
  ALTER TABLE "consultation_images" ADD COLUMN "consent_recorded_at" timestamp(3) with time zone;
  ALTER TABLE "consultation_images_consent_scopes" ADD CONSTRAINT "consultation_images_consent_scopes_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."consultation_images"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "consultation_images_consent_scopes_order_idx" ON "consultation_images_consent_scopes" USING btree ("order");
  CREATE INDEX "consultation_images_consent_scopes_parent_idx" ON "consultation_images_consent_scopes" USING btree ("parent_id");
  ALTER TABLE "consultation_images" ADD CONSTRAINT "consultation_images_consent_recorded_by_id_users_id_fk" FOREIGN KEY ("consent_recorded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "consultation_images_consent_recorded_by_idx" ON "consultation_images" USING btree ("consent_recorded_by_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "consultation_images_consent_scopes" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "consultation_images_consent_scopes" CASCADE;
  ALTER TABLE "consultation_images" DROP CONSTRAINT "consultation_images_consent_recorded_by_id_users_id_fk";
  
  DROP INDEX "consultation_images_consent_recorded_by_idx";
  ALTER TABLE "consultation_images" DROP COLUMN "consent_recorded_by_id";
  ALTER TABLE "consultation_images" DROP COLUMN "consent_recorded_at";
  DROP TYPE "public"."enum_consultation_images_consent_scopes";`)
}
