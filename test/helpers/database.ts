import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The server the tests run against: DATABASE_URI's (set by scripts/run-with-db.ts), or the local one. */
export const serverURI = (): URL =>
  new URL(process.env.DATABASE_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres')

const withAdminClient = async <T>(run: (client: pg.Client) => Promise<T>): Promise<T> => {
  const uri = serverURI()
  uri.pathname = '/postgres'
  const client = new pg.Client({ connectionString: uri.toString() })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database of its own for one test file and returns its URI. */
export const createTestDatabase = async (label: string): Promise<{ drop: () => Promise<void>; uri: string }> => {
  const name = `derma_test_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`))
  const uri = serverURI()
  uri.pathname = `/${name}`
  return {
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    uri: uri.toString(),
  }
}
