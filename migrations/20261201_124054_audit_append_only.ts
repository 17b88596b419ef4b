import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

/**
 * The audit trail is append-only in the database itself (src/audit/appendOnly.ts, README "Audit
 * trail"): UPDATE and TRUNCATE are refused, DELETE too except for events older than the retention
 * period, deleted by the plugin's purge. The SQL is written out here, as it was on the day, so the
 * migration never changes with the code.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    retention_days text := current_setting('derma_images.audit_retention_days', true);
  BEGIN
    IF TG_OP = 'DELETE' AND retention_days ~ '^[1-9][0-9]{0,5}$'
       AND OLD.created_at < now() - make_interval(days => retention_days::int) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION '% on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only events older than audit.retentionDays are deleted, by the plugin''s retention purge.';
  END;
  $$;
  CREATE TRIGGER "audit_events_append_only_rows" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
  CREATE TRIGGER "audit_events_append_only_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TRIGGER IF EXISTS "audit_events_append_only_truncate" ON "audit_events";
  DROP TRIGGER IF EXISTS "audit_events_append_only_rows" ON "audit_events";
  DROP FUNCTION IF EXISTS "audit_events_append_only"();`)
}
