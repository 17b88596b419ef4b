import { randomUUID } from 'node:crypto'
import { constants, createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { APIError } from 'payload'

import { isStoredFilename } from './names.js'

export { isStoredFilename } from './names.js'

/** One file to store: its bytes in memory, or a temp file to copy from. */
export type IncomingStoredFile = {
  buffer?: Buffer
  filename: string
  tempFilePath?: string
}


/** Temp files live beside their destination so that the final `link` is atomic. */
export const tempPrefix = '.incoming-'

/**
 * The plugin's file storage: a private directory, written atomically (temp file + hard link, so a
 * reader never sees half a file and an existing file is never overwritten) and read by name only.
 */
export const createFileStore = (dir: string) => {
  const resolve = (filename: string): string => {
    if (!isStoredFilename(filename)) {
      throw new Error('payload-derma-images: refusing a file name that the server did not make')
    }
    return path.join(dir, filename)
  }

  const writeOne = async (file: IncomingStoredFile): Promise<void> => {
    const destination = resolve(file.filename)
    const temp = path.join(dir, `${tempPrefix}${randomUUID()}`)
    try {
      if (file.buffer && file.buffer.length > 0) {
        await fs.writeFile(temp, file.buffer, { flag: 'wx', mode: 0o600 })
      } else if (file.tempFilePath) {
        await fs.copyFile(file.tempFilePath, temp, constants.COPYFILE_EXCL)
        await fs.chmod(temp, 0o600)
      } else {
        throw new Error('payload-derma-images: a stored file needs a buffer or a temp file')
      }
      // link() fails with EEXIST instead of replacing: a write never overwrites another file.
      await fs.link(temp, destination)
    } finally {
      await fs.rm(temp, { force: true })
    }
  }

  /** Removes files by name; missing files are fine (the goal is that they are gone). */
  const removeAll = async (filenames: string[]): Promise<void> => {
    await Promise.all(filenames.map((filename) => fs.rm(resolve(filename), { force: true })))
  }

  /** A full disk is the server's problem, not the client's: 507, with a message a person can act on. */
  const asStorageError = (error: unknown): unknown =>
    ['EDQUOT', 'ENOSPC'].includes((error as NodeJS.ErrnoException).code ?? '')
      ? new APIError('The clinic’s image storage is full; the photo was not stored. Please tell your administrator.', 507, undefined, true)
      : error

  /** Writes every file or none: on a failure the ones already written are removed. */
  const writeAll = async (files: IncomingStoredFile[]): Promise<void> => {
    await fs.mkdir(dir, { mode: 0o700, recursive: true })
    const results = await Promise.allSettled(files.map(writeOne))
    const failure = results.find((result) => result.status === 'rejected')
    if (failure) {
      const written = files.filter((_, index) => results[index]?.status === 'fulfilled')
      await removeAll(written.map((file) => file.filename))
      throw asStorageError(failure.reason)
    }
  }

  const stat = async (filename: string) => {
    try {
      return await fs.stat(resolve(filename))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw err
    }
  }

  const openRead = (filename: string, range?: { end: number; start: number }) =>
    createReadStream(resolve(filename), range)

  /** Every entry of the directory, stored files and left-over temp files alike. */
  const list = async (): Promise<string[]> => {
    try {
      return await fs.readdir(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return []
      }
      throw err
    }
  }

  return { dir, list, openRead, removeAll, resolve, stat, writeAll }
}

export type FileStore = ReturnType<typeof createFileStore>
