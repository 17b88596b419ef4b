import type { CollectionConfig, Payload, PayloadRequest } from 'payload'

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type pg from 'pg'

import { listUploads } from './payload.js'

type HookName = keyof NonNullable<CollectionConfig['hooks']>

/**
 * Appends `hook` to a collection's running hooks (after the plugin's own) until the returned
 * function takes it out again: a failure injected at a known point of a real request.
 */
export const injectHook = (payload: Payload, slug: string, name: HookName, hook: (args: { req: PayloadRequest }) => unknown): (() => void) => {
  const hooks = payload.collections[slug as 'consultation-images'].config.hooks as Record<string, unknown[]>
  hooks[name] = [...(hooks[name] ?? []), hook]
  return () => {
    hooks[name] = (hooks[name] ?? []).filter((entry) => entry !== hook)
  }
}

type Sessions = Record<string, { db: { execute: (query: unknown) => Promise<{ rows: { pid: number }[] }> } } | undefined>

/** The PostgreSQL backend that runs the request's transaction. */
export const backendPidOf = async (req: PayloadRequest): Promise<number> => {
  const { sql } = await import('@payloadcms/db-postgres/drizzle')
  const sessions = (req.payload.db as unknown as { sessions: Sessions }).sessions
  const session = sessions[String(await req.transactionID)]
  if (!session) {
    throw new Error('the request has no transaction')
  }
  const { rows } = await session.db.execute(sql`SELECT pg_backend_pid() AS pid`)
  return Number(rows[0]?.pid)
}

/** Waits (at most `timeoutMs`) until `check` holds, polling on the event loop; never a fixed sleep. */
export const waitFor = async (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Terminates a backend as an administrator would, and waits until it is gone. */
export const terminateBackend = async (admin: pg.Client, pid: number): Promise<void> => {
  await admin.query('SELECT pg_terminate_backend($1)', [pid])
  await waitFor(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, `backend ${pid} to end`)
}

/** This test database's client backends other than `except` (the test's own admin connection). */
export const countBackends = async (admin: pg.Client): Promise<number> => {
  const { rows } = await admin.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
  )
  return rows[0]?.count ?? 0
}

/** Number of open file descriptors of this process. */
export const countOpenFds = async (): Promise<number> => (await fs.readdir('/proc/self/fd')).length

/** What each open file descriptor of this process points at (files, sockets, pipes). */
export const openFdTargets = async (): Promise<string[]> => {
  const fds = await fs.readdir('/proc/self/fd')
  return (await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => 'gone')))).sort()
}

/**
 * Points `os.tmpdir()` at a fresh directory for this test file, so that "no temp file left" can
 * be checked exactly. Call before `startPayload` (whose uploads directory then lives inside it).
 */
export const useOwnTmpdir = async (label: string): Promise<{ dir: string; entries: () => Promise<string[]>; restore: () => Promise<void> }> => {
  const previous = process.env.TMPDIR
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `derma-tmp-${label}-`))
  process.env.TMPDIR = dir
  return {
    dir,
    entries: () => listUploads(dir),
    restore: async () => {
      if (previous === undefined) {
        delete process.env.TMPDIR
      } else {
        process.env.TMPDIR = previous
      }
      await fs.rm(dir, { force: true, recursive: true })
    },
  }
}
