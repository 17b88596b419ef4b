/**
 * The setting the append-only trigger reads: set transaction-locally (`set_config(…, true)`) by
 * the retention purge only, it lets through the deletion of events older than that many days.
 */
export const retentionSetting = 'derma_images.audit_retention_days'

/**
 * The SQL that makes an audit table append-only in PostgreSQL itself, and undoes it (see README,
 * "Audit trail"): a row trigger refuses every UPDATE, and every DELETE except of a row older
 * than the number of days in `retentionSetting` (which only the purge sets, for its own
 * transaction); a statement trigger refuses TRUNCATE. The same function serves both (OLD is
 * NULL in statement-level triggers). A host whose audit slug is not `audit-events` puts this,
 * with its table name, into a migration of its own.
 */
export const getAppendOnlySQL = (table: string): { down: string; up: string } => {
  const fn = `"${table}_append_only"`
  return {
    down: `DROP TRIGGER IF EXISTS "${table}_append_only_truncate" ON "${table}";
  DROP TRIGGER IF EXISTS "${table}_append_only_rows" ON "${table}";
  DROP FUNCTION IF EXISTS ${fn}();`,
    up: `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    retention_days text := current_setting('${retentionSetting}', true);
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
  CREATE TRIGGER "${table}_append_only_rows" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER "${table}_append_only_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
  }
}
