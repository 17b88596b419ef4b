import type { Stats } from 'node:fs'
import type { CollectionSlug, Payload, SelectType, Where } from 'payload'

import fs from 'node:fs/promises'
import path from 'node:path'

import { createFileStore, isStoredFilename, tempPrefix } from '../storage/fileStore.js'
import { storedFilenamesOf } from '../storage/storedFiles.js'

export type ReconcileStorageArgs = {
  /** The plugin's upload collection (`consultation-images` unless its slug is overridden). */
  collection: CollectionSlug
  /** Remove orphan and temp files older than `olderThanMs`. Rows are never deleted. @default false */
  fix?: boolean
  /**
   * Files younger than this are never removed: an upload's files exist before its row commits.
   * @default 600000 (10 minutes)
   */
  olderThanMs?: number
  /** Rows read per query; memory is bounded by this plus the directory's names. @default 500 */
  pageSize?: number
  payload: Payload
  /** The collection's image size names (`upload.imageSizes[].name`). */
  sizeNames: string[]
  /** The plugin's private storage directory. */
  uploadsDir: string
}

/** What the storage holds against what the rows reference. Only server-made names and row IDs. */
export type StorageReport = {
  /** Server-made files that no row references (recent ones included; see `removable`). */
  orphanFiles: string[]
  /** Orphan and temp files old enough to remove: what `fix` removes (or would remove). */
  removable: string[]
  /** Files removed by this run (`fix: true` only). */
  removed: string[]
  /** Rows whose original or a size file is missing on disk, with the missing stored names. */
  rowsMissingFiles: { id: number | string; missing: string[] }[]
  /** Entries in the directory. */
  scannedFiles: number
  scannedRows: number
  /** Left-over `.incoming-*` files of interrupted writes (recent ones included). */
  tempFiles: string[]
  /** Entries the server never makes (other names, directories, links): reported, never removed. */
  unknownEntries: string[]
}

export const defaultReconcileOlderThanMs = 10 * 60 * 1000

/** Only a name the server makes is ever removed as an orphan; anything else is reported as unknown. */
const isServerMade = isStoredFilename

type StoredRow = { filename?: null | string; id: number | string; sizes?: unknown }

const lstatFile = async (file: string): Promise<Stats | undefined> => {
  try {
    const stats = await fs.lstat(file)
    return stats.isFile() ? stats : undefined
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined
    }
    throw err
  }
}

/** Regular files of the directory by name (with their mtime), and every other entry. */
const scanDirectory = async (dir: string, names: string[]) => {
  const files = new Map<string, number>()
  const others: string[] = []
  for (const name of names) {
    const stats = await lstatFile(path.join(dir, name))
    if (stats) {
      files.set(name, stats.mtimeMs)
    } else {
      others.push(name)
    }
  }
  return { files, others }
}

const filenameSelect = (sizeNames: string[]): SelectType => ({
  filename: true,
  sizes: Object.fromEntries(sizeNames.map((name) => [name, { filename: true }])),
})

/** Rows that reference any of `filenames` (the original or a size). */
const whereReferences = (filenames: string[], sizeNames: string[]): Where => ({
  or: [
    { filename: { in: filenames } },
    ...sizeNames.map((name) => ({ [`sizes.${name}.filename`]: { in: filenames } })),
  ],
})

/**
 * Every row of the collection, a page at a time. Keyset paging (`id > last`) rather than page
 * numbers: a row deleted meanwhile would shift later rows back a page and skip one, whose files
 * would then look orphaned.
 */
async function* rowsOf({ collection, pageSize = 500, payload, sizeNames }: ReconcileStorageArgs) {
  let lastID: number | string | undefined
  for (;;) {
    const { docs } = await payload.find({
      collection,
      depth: 0,
      limit: pageSize,
      // Storage maintenance by the operator: it must see every row, on nobody's behalf.
      overrideAccess: true,
      pagination: false,
      select: filenameSelect(sizeNames),
      sort: 'id',
      // A trashed row (should the collection enable trash) can be restored: its files are not orphans.
      trash: true,
      where: lastID === undefined ? {} : { id: { greater_than: lastID } },
    })
    const rows = docs as unknown as StoredRow[]
    yield* rows
    const last = rows.at(-1)
    if (!last || rows.length < pageSize) {
      return
    }
    lastID = last.id
  }
}

/** Drops candidates that a row references now (a row may have committed since the scan). */
const stillUnreferenced = async (args: ReconcileStorageArgs, candidates: string[]): Promise<string[]> => {
  const referenced = new Set<string>()
  for (let start = 0; start < candidates.length; start += 100) {
    const batch = candidates.slice(start, start + 100)
    const { docs } = await args.payload.find({
      collection: args.collection,
      depth: 0,
      limit: 0,
      // Storage maintenance by the operator: any row referencing a file keeps it, whoever's it is.
      overrideAccess: true,
      pagination: false,
      select: filenameSelect(args.sizeNames),
      trash: true,
      where: whereReferences(batch, args.sizeNames),
    })
    for (const doc of docs) {
      storedFilenamesOf(doc).forEach((name) => referenced.add(name))
    }
  }
  return candidates.filter((name) => !referenced.has(name))
}

/** Reads every row: which names are referenced, and which rows miss a file on disk. */
const scanRows = async (args: ReconcileStorageArgs, files: Map<string, number>) => {
  const referenced = new Set<string>()
  const rowsMissingFiles: StorageReport['rowsMissingFiles'] = []
  let scannedRows = 0
  let referencedPresent = 0
  for await (const row of rowsOf(args)) {
    scannedRows += 1
    const missing: string[] = []
    for (const name of storedFilenamesOf(row)) {
      referenced.add(name)
      // Not in the listing: it may have been written since, by an upload that committed meanwhile.
      const isPresent = files.has(name) || (await lstatFile(path.join(args.uploadsDir, name))) !== undefined
      if (isPresent) {
        referencedPresent += 1
      } else {
        missing.push(name)
      }
    }
    if (missing.length > 0) {
      rowsMissingFiles.push({ id: row.id, missing })
    }
  }
  return { referenced, referencedPresent, rowsMissingFiles, scannedRows }
}

/**
 * Removes old orphan files (once more checked against the rows) and old temp files; returns
 * the names removed.
 */
const removeOldFiles = async (
  args: ReconcileStorageArgs,
  { orphans, referencedPresent, temps }: { orphans: string[]; referencedPresent: number; temps: string[] },
): Promise<string[]> => {
  if (orphans.length > 0 && referencedPresent === 0) {
    // No row has a file here yet files look orphaned: most likely the wrong database or
    // directory, where "fixing" would delete every photo.
    throw new Error(
      `payload-derma-images: refusing to remove ${orphans.length} orphan file(s): no row references any file in ${args.uploadsDir}. Wrong database or uploads directory?`,
    )
  }
  const orphansToRemove = await stillUnreferenced(args, orphans)
  await createFileStore(args.uploadsDir).removeAll(orphansToRemove)
  // Temp names are not stored names (the store refuses them): removed by their listed name only.
  await Promise.all(temps.map((name) => fs.rm(path.join(args.uploadsDir, name), { force: true })))
  return [...orphansToRemove, ...temps].sort()
}

/**
 * Compares the plugin's storage directory with the collection's rows: orphan files (no row
 * references them), left-over temp files, rows whose files are missing and entries the server
 * never makes. With `fix`, removes orphan and temp files older than `olderThanMs`, after checking
 * once more that no row references them; rows and unknown entries are only ever reported.
 */
export const reconcileStorage = async (args: ReconcileStorageArgs): Promise<StorageReport> => {
  const { fix = false, olderThanMs = defaultReconcileOlderThanMs, uploadsDir } = args
  const startedAt = Date.now()
  const entries = await createFileStore(uploadsDir).list()
  const { files, others } = await scanDirectory(uploadsDir, entries)
  const { referenced, referencedPresent, rowsMissingFiles, scannedRows } = await scanRows(args, files)

  const names = [...files.keys()].sort()
  const isTemp = (name: string): boolean => name.startsWith(tempPrefix)
  const orphanFiles = names.filter((name) => isServerMade(name) && !referenced.has(name))
  const tempFiles = names.filter(isTemp)
  const unknownEntries = [
    ...names.filter((name) => !isServerMade(name) && !isTemp(name) && !referenced.has(name)),
    ...others,
  ].sort()
  const isOld = (name: string): boolean => (files.get(name) ?? startedAt) <= startedAt - olderThanMs
  const removable = [...orphanFiles, ...tempFiles].filter(isOld).sort()

  const removed =
    fix && removable.length > 0
      ? await removeOldFiles(args, {
          orphans: orphanFiles.filter(isOld),
          referencedPresent,
          temps: tempFiles.filter(isOld),
        })
      : []
  return {
    orphanFiles,
    removable,
    removed,
    rowsMissingFiles,
    scannedFiles: entries.length,
    scannedRows,
    tempFiles,
    unknownEntries,
  }
}
