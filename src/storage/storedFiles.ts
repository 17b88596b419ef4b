import type { PayloadRequest } from 'payload'

import type { IncomingStoredFile } from './fileStore.js'

type SizesData = Record<string, { filename?: null | string } | undefined>

/** Names of every file that belongs to a stored document: the original and each derivative. */
export const storedFilenamesOf = (doc: unknown): string[] => {
  const { filename, sizes } = (doc ?? {}) as { filename?: null | string; sizes?: null | SizesData }
  return [filename, ...Object.values(sizes ?? {}).map((size) => size?.filename)].filter(
    (name): name is string => typeof name === 'string' && name.length > 0,
  )
}

/** The files Payload prepared for this request (original and derivatives), ready to store. */
export const getIncomingFiles = (
  req: PayloadRequest,
  data: { filename?: null | string; sizes?: null | SizesData },
): IncomingStoredFile[] => {
  const file = req.file
  if (!file || !data.filename) {
    return []
  }
  const derivatives = Object.entries(data.sizes ?? {}).flatMap(([name, size]) => {
    const buffer = req.payloadUploadSizes?.[name]
    return buffer && size?.filename ? [{ buffer, filename: size.filename }] : []
  })
  return [
    { buffer: file.data, filename: data.filename, tempFilePath: file.tempFilePath },
    ...derivatives,
  ]
}
