import type { FileHandle } from 'node:fs/promises'

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** The manifest's columns (CSV) and keys (JSON): IDs, clinical fields and file facts, never a name. */
export const manifestColumns = [
  'id', 'entry', 'mimeType', 'size', 'sha256', 'width', 'height', 'acquisition', 'bodySite', 'laterality',
  'description', 'isPrimary', 'capturedAt', 'capturedAtOffset', 'cameraModel', 'createdAt',
] as const

export type ManifestValue = boolean | null | number | string

export type ManifestRow = Record<(typeof manifestColumns)[number], ManifestValue>

const csvFormulaStart = /^[=+\-@\t\r]/
const utcOffset = /^[+-]\d{2}:?\d{2}$/
/** Spooled text is written in pieces of about this size, not one write per image. */
const flushBytes = 64 * 1024

/** RFC 4180 cell; text that a spreadsheet would run as a formula is prefixed with `'`. */
const csvCell = (value: ManifestValue | undefined): string => {
  if (value === undefined) {
    return ''
  }
  if (value === null) {
    return ''
  }
  const text = typeof value === 'string' && csvFormulaStart.test(value) && !utcOffset.test(value) ? `'${value}` : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Appends to a file through a small buffer; `size` counts every byte written or buffered. */
const bufferedFile = (handle: FileHandle) => {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let size = 0
  const flush = async (): Promise<void> => {
    if (pendingBytes > 0) {
      const data = Buffer.concat(pending, pendingBytes)
      pending = []
      pendingBytes = 0
      await handle.write(data)
    }
  }
  const write = async (data: Buffer | string): Promise<void> => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    pending.push(bytes)
    pendingBytes += bytes.length
    size += bytes.length
    if (pendingBytes >= flushBytes) {
      await flush()
    }
  }
  return { flush, handle, get size() { return size }, write }
}

export type SpooledFile = { handle: FileHandle; size: number }

/**
 * The manifests and the ZIP's central directory are spooled to a private temp directory while the
 * images stream (they need each file's SHA-256 and CRC-32), so memory stays the same whatever the
 * number of images. `manifest.json` starts with `head`'s keys; both manifests have `columns`.
 */
export const openArchiveSpool = async (head: Record<string, unknown>, columns: readonly string[] = manifestColumns) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-download-'))
  const handles: FileHandle[] = []
  const close = async (): Promise<void> => {
    await Promise.allSettled(handles.map((handle) => handle.close()))
    await fs.rm(dir, { force: true, recursive: true })
  }
  try {
    const [json, csv, directory] = (await Promise.all(
      ['manifest.json', 'manifest.csv', 'central-directory'].map(async (name) => {
        const handle = await fs.open(path.join(dir, name), 'wx+', 0o600)
        handles.push(handle)
        return bufferedFile(handle)
      }),
    )) as [ReturnType<typeof bufferedFile>, ReturnType<typeof bufferedFile>, ReturnType<typeof bufferedFile>]
    await json.write(`${JSON.stringify(head).slice(0, -1)},"images":[`)
    // A byte-order mark so that spreadsheet software reads the UTF-8 accents right.
    await csv.write(`\uFEFF${columns.join(',')}\r\n`)
    let count = 0
    const addImage = async (row: Record<string, ManifestValue>): Promise<void> => {
      await json.write(`${count > 0 ? ',' : ''}\n  ${JSON.stringify(row)}`)
      await csv.write(`${columns.map((column) => csvCell(row[column])).join(',')}\r\n`)
      count += 1
    }
    const finishManifests = async (): Promise<Array<[string, SpooledFile]>> => {
      await json.write(`\n],"imageCount":${count}}\n`)
      await Promise.all([json.flush(), csv.flush()])
      return [['manifest.json', json], ['manifest.csv', csv]]
    }
    const finishDirectory = async (): Promise<SpooledFile> => {
      await directory.flush()
      return directory
    }
    return { addDirectoryRecord: directory.write, addImage, close, finishDirectory, finishManifests }
  } catch (err) {
    await close()
    throw err
  }
}
