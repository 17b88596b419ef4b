import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "consultation_images" ADD COLUMN "idempotency_key" varchar;
  ALTER TABLE "consultation_images" ADD COLUMN "idempotency_fingerprint" varchar;
  CREATE UNIQUE INDEX "consultation_images_idempotency_key_idx" ON "consultation_images" USING btree ("idempotency_key");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "consultation_images_idempotency_key_idx";
  ALTER TABLE "consultation_images" DROP COLUMN "idempotency_key";
  ALTER TABLE "consultation_images" DROP COLUMN "idempotency_fingerprint";`)
}
