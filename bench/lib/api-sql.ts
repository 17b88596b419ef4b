/**
 * SQL helpers for the API benchmark (bench/api.bench.ts): counting the statements a request sends
 * (by wrapping `query` on the pg `Client` class of Payload's pool, in the benchmark process only),
 * and making many image rows quickly by cloning real ones with `INSERT … SELECT`.
 */
import pg from 'pg'

export type Statement = { text: string; values: unknown[] }

type QueryFn = (...args: unknown[]) => unknown
type PoolLike = { Client: { prototype: { query: QueryFn } } }

/**
 * Records every statement any client of `pool` sends while `capture` runs. Only the statements
 * of the code awaited inside `capture` are recorded if nothing else runs meanwhile (the benchmark
 * sends one request at a time). `restore()` puts the original method back.
 */
export const installStatementCounter = (pool: unknown) => {
  const proto = (pool as PoolLike).Client.prototype
  const original = proto.query
  let log: Statement[] | undefined
  proto.query = function (this: unknown, ...args: unknown[]): unknown {
    if (log) {
      const [first, second] = args
      const config = typeof first === 'object' && first !== null ? (first as { text?: string; values?: unknown[] }) : undefined
      const text = typeof first === 'string' ? first : (config?.text ?? '(unknown)')
      const values = Array.isArray(second) ? second : (config?.values ?? [])
      log.push({ text, values })
    }
    return original.apply(this, args)
  }
  return {
    capture: async (run: () => Promise<unknown>): Promise<Statement[]> => {
      const statements: Statement[] = []
      log = statements
      try {
        await run()
      } finally {
        log = undefined
      }
      return statements
    },
    restore: (): void => {
      proto.query = original
    },
  }
}

/**
 * A statement's kind and main table, e.g. `select consultation_images (count)`, for summaries: the
 * table of the outermost FROM (sub-queries in parentheses are dropped first).
 */
export const describeStatement = (text: string): string => {
  let outer = text
  for (let depth = 0; depth < 50 && /\([^()]*\)/.test(outer); depth += 1) {
    outer = outer.replace(/\([^()]*\)/g, ' ')
  }
  const verb = /^\s*(\w+)/.exec(outer)?.[1]?.toLowerCase() ?? '?'
  const table = /\bfrom\s+"?(\w+)"?/i.exec(outer)?.[1] ?? /\b(?:into|update)\s+"?(\w+)"?/i.exec(outer)?.[1] ?? ''
  const notes = [/^\s*select\s+count\(/i.test(text) || /\bcount\(1\) over\(\)/i.test(text) ? 'count' : '', /^\s*select\s+distinct/i.test(text) ? 'distinct' : '']
    .filter(Boolean)
    .join(', ')
  return `${verb} ${table}${notes ? ` (${notes})` : ''}`.trim()
}

/** The scan nodes of a plan, e.g. `Index Scan using x_idx on t (rows 150, removed by filter 850)`. */
export const scanSummary = (plan: string[]): string[] => {
  const result: string[] = []
  for (const line of plan) {
    const scan = /((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan)(?: Backward)?(?: using \S+)? on \S+).*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/.exec(line)
    if (scan) {
      result.push(`${scan[1] ?? ''} (rows ${scan[2] ?? '?'}${scan[3] === '1' ? '' : ` × ${scan[3] ?? '?'} loops`})`)
      continue
    }
    const removed = /Rows Removed by Filter: (\d+)/.exec(line)
    if (removed && result.length > 0) {
      result[result.length - 1] = `${result.at(-1)?.slice(0, -1) ?? ''}, ${removed[1] ?? '?'} removed by filter)`
    }
    const time = /Execution Time: ([\d.]+) ms/.exec(line)
    if (time) {
      result.push(`execution ${time[1] ?? '?'} ms`)
    }
  }
  return result
}

export const connect = async (uri: string): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: uri })
  await client.connect()
  return client
}

const columnsOf = async (client: pg.Client, table: string): Promise<string[]> =>
  (
    await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'id'
       ORDER BY ordinal_position`,
      [table],
    )
  ).rows.map((row) => row.column_name)

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** Server-style stored name made in SQL: `YYYYMMDDTHHMMSSZ_<uuid>.jpg` (unique filename index). */
const sqlStoredName = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"') || '_' || gen_random_uuid()::text || '.jpg'`

/**
 * Inserts `count` copies of the template image rows (cycled in order) into the consultations
 * `consultationIds`, `perConsultation` rows each, in one statement. Copies are never primary, get
 * distinct `createdAt` values (older than `createdAt` of their template by `offset + n` seconds) and
 * either new server-style file names made in SQL (the files need not exist: list benchmark) or the
 * given `filenames` (files copied by the caller: ZIP benchmark). Returns the new IDs.
 */
export const cloneImageRows = async (
  client: pg.Client,
  args: { consultationIds: number[]; count: number; filenames?: string[]; offset: number; perConsultation: number; templateIds: number[] },
): Promise<number[]> => {
  const { consultationIds, count, filenames, offset, perConsultation, templateIds } = args
  if (count <= 0) {
    return []
  }
  if (consultationIds.length * perConsultation < count || templateIds.length === 0 || (filenames && filenames.length !== count)) {
    throw new Error('cloneImageRows: inconsistent arguments')
  }
  const columns = await columnsOf(client, 'consultation_images')
  const overrides: Record<string, string> = {
    consultation_id: `($2::int[])[((g - 1) / $3) + 1]`,
    created_at: `t.created_at - make_interval(secs => g + $4)`,
    filename: `COALESCE(($5::text[])[g], ${sqlStoredName})`,
    is_primary: 'false',
    updated_at: `t.updated_at - make_interval(secs => g + $4)`,
  }
  const select = columns.map((column) => overrides[column] ?? `t.${quote(column)}`).join(', ')
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO consultation_images (${columns.map(quote).join(', ')})
     SELECT ${select}
     FROM generate_series(1, $1::int) AS g
     JOIN consultation_images t ON t.id = ($6::int[])[((g - 1) % cardinality($6::int[])) + 1]
     ORDER BY g
     RETURNING id`,
    [count, consultationIds, perConsultation, offset, filenames ?? [], templateIds],
  )
  return rows.map((row) => row.id)
}

/** `count` copies of a consultation row, alternately for the two doctor–patient pairs given. */
export const cloneConsultations = async (
  client: pg.Client,
  args: { count: number; pairs: [{ doctor: number; patient: number }, { doctor: number; patient: number }]; templateId: number },
): Promise<number[]> => {
  if (args.count <= 0) {
    return []
  }
  const columns = await columnsOf(client, 'consultations')
  const [a, b] = args.pairs
  const overrides: Record<string, string> = {
    doctor_id: `CASE WHEN g % 2 = 0 THEN ${a.doctor} ELSE ${b.doctor} END`,
    images_taken: 'true',
    patient_id: `CASE WHEN g % 2 = 0 THEN ${a.patient} ELSE ${b.patient} END`,
  }
  const select = columns.map((column) => overrides[column] ?? `t.${quote(column)}`).join(', ')
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO consultations (${columns.map(quote).join(', ')})
     SELECT ${select} FROM generate_series(1, $1::int) AS g JOIN consultations t ON t.id = $2
     ORDER BY g RETURNING id`,
    [args.count, args.templateId],
  )
  return rows.map((row) => row.id)
}

/** Makes the lowest-ID image of each given consultation primary where it has none (partial unique index). */
export const ensureOnePrimary = async (client: pg.Client, consultationIds: number[]): Promise<void> => {
  await client.query(
    `UPDATE consultation_images SET is_primary = true
     WHERE id IN (
       SELECT min(i.id) FROM consultation_images i
       WHERE i.consultation_id = ANY($1::int[])
         AND NOT EXISTS (SELECT 1 FROM consultation_images p WHERE p.consultation_id = i.consultation_id AND p.is_primary)
       GROUP BY i.consultation_id
     )`,
    [consultationIds],
  )
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement with its own parameters. */
export const explain = async (client: pg.Client, statement: Statement): Promise<string[]> =>
  (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values)).rows.map(
    (row) => row['QUERY PLAN'],
  )
