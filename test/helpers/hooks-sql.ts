import pg from 'pg'

/**
 * A plain PostgreSQL client on the test file's own database (`DATABASE_URI`, which `startPayload`
 * points at that database), for reading rows as they are and for injecting failures.
 */
export const connectSql = async (): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URI })
  await client.connect()
  return client
}

/** Primary images of a consultation, counted in the table itself. */
export const countPrimaries = async (client: pg.Client, consultation: number): Promise<number> => {
  const { rows } = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM consultation_images WHERE consultation_id = $1 AND is_primary',
    [consultation],
  )
  return rows[0]?.count ?? 0
}

/** IDs of a consultation's image rows, in ID order. */
export const imageIdsOf = async (client: pg.Client, consultation: number): Promise<number[]> => {
  const { rows } = await client.query<{ id: number }>(
    'SELECT id FROM consultation_images WHERE consultation_id = $1 ORDER BY id',
    [consultation],
  )
  return rows.map((row) => row.id)
}

/** Whether a consultation row exists. */
export const consultationExists = async (client: pg.Client, id: number): Promise<boolean> => {
  const { rowCount } = await client.query('SELECT 1 FROM consultations WHERE id = $1', [id])
  return rowCount === 1
}

type FailingEvent = 'DELETE' | 'INSERT' | 'UPDATE'

/**
 * Makes every row `event` on `table` fail with a real PostgreSQL error (a BEFORE trigger that
 * raises), until the returned function drops it again.
 */
export const injectFailingTrigger = async (
  client: pg.Client,
  table: string,
  event: FailingEvent,
): Promise<() => Promise<void>> => {
  const name = `derma_test_fail_${table}_${event.toLowerCase()}`
  await client.query(`
    CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'injected failure: % on %', TG_OP, TG_TABLE_NAME;
    END
    $$`)
  await client.query(`CREATE TRIGGER "${name}" BEFORE ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${name}"()`)
  return async () => {
    await client.query(`DROP TRIGGER IF EXISTS "${name}" ON "${table}"`)
    await client.query(`DROP FUNCTION IF EXISTS "${name}"()`)
  }
}
