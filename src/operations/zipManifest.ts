import type { FileHandle } from 'node:fs/promises'

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** The manifest's columns (CSV) and keys (JSON): IDs, clinical fields and file facts, never a name. */
export const manifestColumns = [
  'id', 'entry', 'mimeType', 'size', 'sha256', 'width', 'height', 'acquisition', 'bodySite', 'laterality',
  'description', 'isPrimary', 'capturedAt', 'capturedAtOffset', 'cameraModel', 'createdAt',
] as const

export type ManifestRow = Record<(typeof manifestColumns)[number], boolean | null | number | string>

const csvFormulaStart = /^[=+\-@\t\r]/
const utcOffset = /^[+-]\d{2}:?\d{2}$/

/** RFC 4180 cell; text that a spreadsheet would run as a formula is prefixed with `'`. */
const csvCell = (value: ManifestRow[keyof ManifestRow]): string => {
  if (value === null) {
    return ''
  }
  const text = typeof value === 'string' && csvFormulaStart.test(value) && !utcOffset.test(value) ? `'${value}` : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The manifests are spooled to a private temp directory while the images stream (they need each
 * file's SHA-256), so memory stays the same whatever the number of images.
 */
export const openManifestSpool = async (consultation: number) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-download-'))
  const handles: FileHandle[] = []
  const close = async (): Promise<void> => {
    await Promise.allSettled(handles.map((handle) => handle.close()))
    await fs.rm(dir, { force: true, recursive: true })
  }
  try {
    const [json, csv] = await Promise.all(
      ['manifest.json', 'manifest.csv'].map(async (name) => {
        const handle = await fs.open(path.join(dir, name), 'wx+', 0o600)
        handles.push(handle)
        return handle
      }),
    ) as [FileHandle, FileHandle]
    const head = { consultation, generatedAt: new Date().toISOString(), version: 1 }
    await json.write(`${JSON.stringify(head).slice(0, -1)},"images":[`)
    // A byte-order mark so that spreadsheet software reads the UTF-8 accents right.
    await csv.write(`\uFEFF${manifestColumns.join(',')}\r\n`)
    let count = 0
    const add = async (row: ManifestRow): Promise<void> => {
      await json.write(`${count > 0 ? ',' : ''}\n  ${JSON.stringify(row)}`)
      await csv.write(`${manifestColumns.map((column) => csvCell(row[column])).join(',')}\r\n`)
      count += 1
    }
    const finish = async (): Promise<[FileHandle, FileHandle]> => {
      await json.write(`\n],"imageCount":${count}}\n`)
      return [json, csv]
    }
    return { add, close, finish }
  } catch (err) {
    await close()
    throw err
  }
}

