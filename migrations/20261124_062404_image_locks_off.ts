import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_consultation_images_fk";
  
  DROP INDEX "payload_locked_documents_rels_consultation_images_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "consultation_images_id";`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "consultation_images_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_consultation_images_fk" FOREIGN KEY ("consultation_images_id") REFERENCES "public"."consultation_images"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_consultation_images_id_idx" ON "payload_locked_documents_rels" USING btree ("consultation_images_id");`)
}
