import { open } from 'node:fs/promises'

import { emptyFileError, fileTooLargeError } from './errors.js'

export type IngestInput = { data: Buffer } | { path: string }

const checkSize = (size: number, maxFileSize: number): void => {
  if (size === 0) {
    throw emptyFileError()
  }
  if (size > maxFileSize) {
    throw fileTooLargeError(size, maxFileSize)
  }
}

/**
 * The file's bytes, after checking its size: a path's size is taken from the open file before
 * reading, and at most `maxFileSize + 1` bytes are ever read (a file growing meanwhile still fails).
 */
export const loadInput = async (input: IngestInput, maxFileSize: number): Promise<Buffer> => {
  if ('data' in input) {
    checkSize(input.data.length, maxFileSize)
    return input.data
  }
  const file = await open(input.path, 'r')
  try {
    const { size } = await file.stat()
    checkSize(size, maxFileSize)
    const buffer = Buffer.allocUnsafe(Math.min(size + 1, maxFileSize + 1))
    let length = 0
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, length)
      length += bytesRead
      if (bytesRead === 0 || length === buffer.length) {
        break
      }
    }
    checkSize(length, maxFileSize)
    return buffer.subarray(0, length)
  } finally {
    await file.close()
  }
}
