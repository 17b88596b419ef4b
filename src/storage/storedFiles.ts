import type { PayloadRequest } from 'payload'

import type { IncomingStoredFile } from './fileStore.js'

import { getDermaContext } from '../hooks/context.js'

type SizesData = Record<string, { filename?: null | string } | undefined>

/** Names of every file that belongs to a stored document: the original and each derivative. */
export const storedFilenamesOf = (doc: unknown): string[] => {
  const { filename, sizes } = (doc ?? {}) as { filename?: null | string; sizes?: null | SizesData }
  return [filename, ...Object.values(sizes ?? {}).map((size) => size?.filename)].filter(
    (name): name is string => typeof name === 'string' && name.length > 0,
  )
}

/** This request's files (the original Payload holds, the derivatives ingest made), ready to store. */
export const getIncomingFiles = (
  req: PayloadRequest,
  data: { filename?: null | string; sizes?: null | SizesData },
): IncomingStoredFile[] => {
  const file = req.file
  if (!file || !data.filename) {
    return []
  }
  const made = getDermaContext(req.context).ingestedSizes ?? []
  const derivatives = Object.entries(data.sizes ?? {}).flatMap(([name, size]) => {
    const derivative = made.find((entry) => entry.name === name)
    return derivative && 'buffer' in derivative && size?.filename ? [{ buffer: derivative.buffer, filename: size.filename }] : []
  })
  return [
    { buffer: file.data, filename: data.filename, tempFilePath: file.tempFilePath },
    ...derivatives,
  ]
}
