import type { ChildServer } from '../helpers/childServer.js'
import type { ClinicContext } from '../helpers/setup.js'

import { spawnServer } from '../helpers/childServer.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

// The plugin's shutdownTimeoutMs for these servers (10 s by default).
const shutdownTimeoutMs = 2000

let ctx: ClinicContext
let photo: Buffer

beforeAll(async () => {
  ctx = await startClinic('shutdown')
  photo = await makeJpeg({ height: 900, seed: 8, width: 1200 })
})

afterAll(async () => {
  await ctx.cleanup()
})

const imageRows = async (): Promise<number> => (await ctx.payload.count({ collection: 'consultation-images', overrideAccess: true })).totalDocs

type Outcome = { client: unknown; exit: { code: null | number; signal: NodeJS.Signals | null }; msToExit: number; newFiles: string[]; rowsAdded: number }

/**
 * Starts a server, sends it one upload, and sends SIGTERM once the upload's files are written
 * (then, with `release`, lets the upload go on); waits for the process to end.
 */
const sigtermDuringUpload = async (release: boolean): Promise<Outcome> => {
  const files = await listUploads(ctx.uploadsDir)
  const rows = await imageRows()
  const server: ChildServer = await spawnServer({ DERMA_SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs), DERMA_TEST_FAULT: 'hold-after-write' })
  try {
    const written = server.next('files-written')
    const client = fetch(`${server.origin}/api/consultations/${ctx.clinic.consultations.own}/images`, {
      body: photoForm(photo, { acquisition: 'clinical-overview' }),
      headers: { Authorization: `JWT ${ctx.clinic.doctor.token}` },
      method: 'POST',
    }).then(
      (res) => res.status,
      (error: unknown) => (error as Error).message,
    )
    await written
    const signalled = Date.now()
    server.child.kill('SIGTERM')
    if (release) {
      server.child.send({ event: 'release' })
    }
    const exit = await server.exited
    const msToExit = Date.now() - signalled
    return {
      client: await client,
      exit,
      msToExit,
      newFiles: (await listUploads(ctx.uploadsDir)).filter((name) => !files.includes(name)),
      rowsAdded: (await imageRows()) - rows,
    }
  } finally {
    server.child.kill('SIGKILL')
  }
}

describe('SIGTERM while an upload is in flight that then completes', () => {
  let outcome: Outcome

  beforeAll(async () => {
    outcome = await sigtermDuringUpload(true)
  })

  it('should finish the upload: 201, its row and its three files', () => {
    expect({ client: outcome.client, files: outcome.newFiles.length, rows: outcome.rowsAdded }).toEqual({ client: 201, files: 3, rows: 1 })
  })

  it('should then exit with 143, before the shutdown bound', () => {
    expect({ code: outcome.exit.code, early: outcome.msToExit < shutdownTimeoutMs }).toEqual({ code: 143, early: true })
  })
})

describe('SIGTERM while an upload is stuck (it would never finish)', () => {
  let outcome: Outcome

  beforeAll(async () => {
    outcome = await sigtermDuringUpload(false)
  })

  it('should exit with 143 once the shutdown bound has passed, well within 10 s', () => {
    expect({ code: outcome.exit.code, inTime: outcome.msToExit >= shutdownTimeoutMs && outcome.msToExit < 10_000 }).toEqual({ code: 143, inTime: true })
  })

  it('should fail the upload cleanly: no row, and its files removed by the rollback', () => {
    expect({ files: outcome.newFiles, rows: outcome.rowsAdded }).toEqual({ files: [], rows: 0 })
  })

  it('should leave the client with a closed connection, not a success', () => {
    expect(outcome.client).toBe('fetch failed')
  })
})
