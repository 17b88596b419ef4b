import yauzl from 'yauzl'

export type ReadEntry = { data: Buffer; entry: yauzl.Entry }

/** Every entry of a ZIP held in memory, read with yauzl (which checks sizes and offsets). */
export const readZipEntries = (bytes: Buffer): Promise<ReadEntry[]> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, strictFileNames: true }, (openError, zip) => {
      if (openError) {
        reject(openError)
        return
      }
      const entries: ReadEntry[] = []
      zip.on('error', reject)
      zip.on('end', () => { resolve(entries) })
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (readError, stream) => {
          if (readError) {
            reject(readError)
            return
          }
          const chunks: Buffer[] = []
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('error', reject)
          stream.on('end', () => {
            entries.push({ data: Buffer.concat(chunks), entry })
            zip.readEntry()
          })
        })
      })
      zip.readEntry()
    })
  })
