import type { StorageReport } from '../../src/operations/reconcileStorage.js'
import type { ChildServer } from '../helpers/childServer.js'
import type { ClinicContext } from '../helpers/setup.js'

import { execFile } from 'node:child_process'

import { spawnServer } from '../helpers/childServer.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

let ctx: ClinicContext
let photo: Buffer
let server: ChildServer

type Run = { code: null | number; report: StorageReport }

/** `npm run reconcile -- --json …`, as an operator runs it after the restart. */
const reconcile = (...args: string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts', '--json', ...args], { env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      try {
        resolve({ code: error ? (error.code as number) : 0, report: JSON.parse(stdout) as StorageReport })
      } catch {
        reject(new Error(`reconcile printed no report: ${stderr}`))
      }
    })
  })

const imageRows = async (): Promise<number> => (await ctx.payload.count({ collection: 'consultation-images', overrideAccess: true })).totalDocs

describe('a server killed (SIGKILL) between writing an upload’s files and committing its row', () => {
  let before: { files: string[]; rows: number }
  let orphans: string[]
  let clientSaw: unknown
  let dryRun: Run
  let fixRun: Run

  beforeAll(async () => {
    ctx = await startClinic('crash')
    photo = await makeJpeg({ height: 1200, seed: 4, width: 1600 })
    before = { files: await listUploads(ctx.uploadsDir), rows: await imageRows() }
    server = await spawnServer({ DERMA_TEST_FAULT: 'hold-after-write' })
    const written = server.next('files-written')
    const upload = fetch(`${server.origin}/api/consultations/${ctx.clinic.consultations.own}/images`, {
      body: photoForm(photo, { acquisition: 'clinical-overview' }),
      headers: { Authorization: `JWT ${ctx.clinic.doctor.token}` },
      method: 'POST',
    }).then(
      (res) => res.status,
      (error: unknown) => error,
    )
    await written
    orphans = (await listUploads(ctx.uploadsDir)).filter((name) => !before.files.includes(name))
    server.child.kill('SIGKILL')
    await server.exited
    clientSaw = await upload
    dryRun = await reconcile()
    fixRun = await reconcile('--fix', '--older-than', '0ms')
  })

  afterAll(async () => {
    server.child.kill('SIGKILL')
    await ctx.cleanup()
  })

  it('should have written the original and both derivatives before the kill', () => {
    expect(orphans.length).toBe(3)
  })

  it('should leave the client with a broken connection, not a success', () => {
    // fetch's TypeError comes from Node's realm, not the test's: compare by shape.
    expect(clientSaw).toMatchObject({ message: 'fetch failed', name: 'TypeError' })
  })

  it('should leave no row for the upload', async () => {
    expect(await imageRows()).toBe(before.rows)
  })

  it('should have reconcile list the three files as orphans and, with the default 10 minutes, keep them', () => {
    expect({ code: dryRun.code, orphans: dryRun.report.orphanFiles, removable: dryRun.report.removable }).toEqual({
      code: 1,
      orphans: orphans.sort(),
      removable: [],
    })
  })

  it('should have reconcile --fix --older-than 0ms remove exactly those files and report them', () => {
    expect({ code: fixRun.code, removed: fixRun.report.removed }).toEqual({ code: 0, removed: orphans.sort() })
  })

  it('should leave the uploads directory as it was before the upload', async () => {
    expect(await listUploads(ctx.uploadsDir)).toEqual(before.files)
  })

  it('should accept the next upload to the same consultation (no lock left behind)', async () => {
    const res = await ctx.api.request('POST', `/consultations/${ctx.clinic.consultations.own}/images`, {
      body: photoForm(photo, { acquisition: 'clinical-overview' }),
      token: ctx.clinic.doctor.token,
    })
    expect(res.status).toBe(201)
  })
})
