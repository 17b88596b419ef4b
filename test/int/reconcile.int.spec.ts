import type { StorageReport } from '../../src/operations/reconcileStorage.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { makeStoredBasename } from '../../src/storage/names.js'
import { reconcileStorage } from '../../src/operations/reconcileStorage.js'
import { createClinic } from '../helpers/clinic.js'
import { listUploads, startPayload } from '../helpers/payload.js'

const collection = 'consultation-images'
const sizeNames = ['thumbnail', 'preview']
const anHourAgo = new Date(Date.now() - 60 * 60 * 1000)

let ctx: TestContext
let clinic: Clinic

/** The inconsistencies, each made for real in the uploads directory. */
const made = {
  oldOrphan: `${makeStoredBasename(anHourAgo)}.jpg`,
  oldTemp: '.incoming-5b0e3a4c-2f1d-4c7e-9a8b-6d5e4f3a2b1c',
  // Accepted by `isStoredFilename` but not a name the server makes: someone else put it there.
  strayPhoto: 'IMG_1234.jpg',
  strayText: 'notes.txt',
  youngOrphan: `${makeStoredBasename()}-300x300.jpg`,
  youngTemp: '.incoming-0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
}

const writeEntry = async (dir: string, name: string, mtime?: Date): Promise<void> => {
  await fs.writeFile(path.join(dir, name), 'not a photo', { mode: 0o600 })
  if (mtime) {
    await fs.utimes(path.join(dir, name), mtime, mtime)
  }
}

/** Page size 1: every run pages through the rows one at a time. */
const reconcile = (fix: boolean, uploadsDir = ctx.uploadsDir): Promise<StorageReport> =>
  reconcileStorage({ collection, fix, pageSize: 1, payload: ctx.payload, sizeNames, uploadsDir })

let beforeRuns: string[]
let dryRun: StorageReport
let afterDryRun: string[]
let fixRun: StorageReport
let afterFix: string[]
let secondRun: StorageReport

beforeAll(async () => {
  ctx = await startPayload('reconcile')
  clinic = await createClinic(ctx.payload)
  await writeEntry(ctx.uploadsDir, made.oldOrphan, anHourAgo)
  await writeEntry(ctx.uploadsDir, made.youngOrphan)
  await writeEntry(ctx.uploadsDir, made.oldTemp, anHourAgo)
  await writeEntry(ctx.uploadsDir, made.youngTemp)
  await writeEntry(ctx.uploadsDir, made.strayPhoto, anHourAgo)
  await writeEntry(ctx.uploadsDir, made.strayText, anHourAgo)
  await fs.rm(path.join(ctx.uploadsDir, clinic.images.own.thumbnail))
  beforeRuns = await listUploads(ctx.uploadsDir)
  dryRun = await reconcile(false)
  afterDryRun = await listUploads(ctx.uploadsDir)
  fixRun = await reconcile(true)
  afterFix = await listUploads(ctx.uploadsDir)
  secondRun = await reconcile(true)
})

afterAll(async () => {
  await ctx.cleanup()
})

describe('reconcileStorage report', () => {
  it('should count every row and every directory entry', () => {
    expect({ scannedFiles: dryRun.scannedFiles, scannedRows: dryRun.scannedRows }).toEqual({
      scannedFiles: beforeRuns.length,
      scannedRows: 2,
    })
  })

  it('should list the server-made files that no row references as orphans', () => {
    expect(dryRun.orphanFiles).toEqual([made.oldOrphan, made.youngOrphan].sort())
  })

  it('should list left-over temp files', () => {
    expect(dryRun.tempFiles).toEqual([made.oldTemp, made.youngTemp].sort())
  })

  it('should report the row whose size file is missing by its ID and the stored name', () => {
    expect(dryRun.rowsMissingFiles).toEqual([{ id: clinic.images.own.id, missing: [clinic.images.own.thumbnail] }])
  })

  it('should report names the server never makes as unknown entries', () => {
    expect(dryRun.unknownEntries).toEqual([made.strayPhoto, made.strayText].sort())
  })

  it('should offer only the orphan and temp files older than the threshold for removal', () => {
    expect(dryRun.removable).toEqual([made.oldOrphan, made.oldTemp].sort())
  })

  it('should change nothing without fix', () => {
    expect({ directory: afterDryRun, removed: dryRun.removed }).toEqual({ directory: beforeRuns, removed: [] })
  })
})

describe('reconcileStorage fix', () => {
  it('should remove exactly the orphan and temp files older than the threshold', () => {
    expect(fixRun.removed).toEqual([made.oldOrphan, made.oldTemp].sort())
  })

  it('should leave every other entry of the directory in place', () => {
    expect(afterFix).toEqual(beforeRuns.filter((name) => name !== made.oldOrphan && name !== made.oldTemp))
  })

  it('should keep every row, the one with a missing file included', async () => {
    const { totalDocs } = await ctx.payload.count({ collection, overrideAccess: true })
    expect(totalDocs).toBe(2)
  })

  it('should leave on a second run only what it never removes: young files, unknown entries and the row', () => {
    expect(secondRun).toEqual({
      orphanFiles: [made.youngOrphan],
      removable: [],
      removed: [],
      rowsMissingFiles: [{ id: clinic.images.own.id, missing: [clinic.images.own.thumbnail] }],
      scannedFiles: afterFix.length,
      scannedRows: 2,
      tempFiles: [made.youngTemp],
      unknownEntries: [made.strayPhoto, made.strayText].sort(),
    })
  })
})

describe('reconcileStorage safeguard', () => {
  let otherDir: string

  beforeAll(async () => {
    otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-reconcile-other-'))
    await writeEntry(otherDir, made.oldOrphan, anHourAgo)
  })

  afterAll(async () => {
    await fs.rm(otherDir, { force: true, recursive: true })
  })

  it('should refuse to remove orphans from a directory where no row has a file', async () => {
    await expect(reconcile(true, otherDir)).rejects.toThrow(/refusing to remove 1 orphan file/)
    expect(await listUploads(otherDir)).toEqual([made.oldOrphan])
  })
})
