import os from 'node:os'
import { readFile } from 'node:fs/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'

import { fixtures } from '../../test/fixtures/index.js'
import { closeHeicDecoders, configureHeicDecoders, decodeHeic, heicDecoderStats } from './heicPool.js'
import { IngestError } from './index.js'

const waitFor = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time')
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const failure = async (promise: Promise<unknown>): Promise<IngestError> => {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(IngestError)
  return error as IngestError
}

const defaults = configureHeicDecoders({})

afterEach(async () => {
  await closeHeicDecoders()
  configureHeicDecoders(defaults)
})

describe('decodeHeic', () => {
  it('should decode the primary image upright to RGBA in a worker', async () => {
    const decoded = await decodeHeic(await readFile(fixtures.heic.path), 1_000_000)
    expect({ hasAlpha: decoded.hasAlpha, height: decoded.height, length: decoded.pixels.length, width: decoded.width }).toEqual({
      hasAlpha: false,
      height: 128,
      length: 96 * 128 * 4,
      width: 96,
    })
  })

  it('should report an alpha channel', async () => {
    const decoded = await decodeHeic(await readFile(fixtures.heicAlpha.path), 1_000_000)
    expect(decoded.hasAlpha).toBe(true)
  })

  it('should run at most os.availableParallelism() decodes at once and queue the rest', async () => {
    const data = await readFile(fixtures.heic.path)
    const max = os.availableParallelism()
    const decodes = Array.from({ length: max + 3 }, () => decodeHeic(data, 1_000_000))
    const during = heicDecoderStats()
    await Promise.all(decodes)
    expect(during).toEqual({ busy: max, queued: 3, workers: max })
    expect(heicDecoderStats()).toEqual({ busy: 0, queued: 0, workers: max })
  })

  it('should run at most maxWorkers decodes at once', async () => {
    configureHeicDecoders({ maxWorkers: 1 })
    const data = await readFile(fixtures.heic.path)
    const decodes = [decodeHeic(data, 1_000_000), decodeHeic(data, 1_000_000)]
    const during = heicDecoderStats()
    await Promise.all(decodes)
    expect(during).toEqual({ busy: 1, queued: 1, workers: 1 })
  })

  it('should terminate idle workers', async () => {
    configureHeicDecoders({ idleMs: 20 })
    await decodeHeic(await readFile(fixtures.heic.path), 1_000_000)
    await waitFor(() => heicDecoderStats().workers === 0)
    expect(heicDecoderStats().workers).toBe(0)
  })

  it('should fail with 400 when the data is not a decodable HEIC', async () => {
    const error = await failure(decodeHeic(Buffer.from('not a heic file at all'), 1_000_000))
    expect(error.status).toBe(400)
  })

  it('should fail with 413 when the decoder sees more pixels than allowed', async () => {
    const error = await failure(decodeHeic(await readFile(fixtures.heic.path), 1000))
    expect(error.status).toBe(413)
  })

  it('should fail with 400, not hang, when the worker crashes, and then decode again', async () => {
    const data = await readFile(fixtures.heic.path)
    const previous = configureHeicDecoders({ workerUrl: new URL('../../test/fixtures/workers/crash.mjs', import.meta.url) })
    const error = await failure(decodeHeic(data, 1_000_000))
    configureHeicDecoders(previous)
    const decoded = await decodeHeic(data, 1_000_000)
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This image is damaged or incomplete and could not be read.', status: 400 })
    expect(decoded.width).toBe(96)
  })

  it('should fail with a server error (not a 400 about the photo) when the worker cannot start', async () => {
    const data = await readFile(fixtures.heic.path)
    const previous = configureHeicDecoders({ workerUrl: new URL('../../test/fixtures/workers/missing-worker.mjs', import.meta.url) })
    const error = await decodeHeic(data, 1_000_000).then(
      () => undefined,
      (err: unknown) => err as Error,
    )
    configureHeicDecoders(previous)
    expect({ ingest: error instanceof IngestError, message: error?.message }).toEqual({
      ingest: false,
      message: expect.stringContaining('the HEIC decoder could not start') as string,
    })
    expect((await decodeHeic(data, 1_000_000)).width).toBe(96)
  })

  it('should fail with 422 when a decode takes longer than timeoutMs', async () => {
    configureHeicDecoders({ timeoutMs: 100, workerUrl: new URL('../../test/fixtures/workers/hang.mjs', import.meta.url) })
    const error = await failure(decodeHeic(await readFile(fixtures.heic.path), 1_000_000))
    expect({ status: error.status, workers: heicDecoderStats().workers }).toEqual({ status: 422, workers: 0 })
  })

  it('should keep the event loop responsive while a 12 MP HEIC decodes', async () => {
    const data = await readFile(fixtures.heic12mp.path)
    // Warm up: start the worker and compile the WebAssembly outside the measurement.
    await decodeHeic(await readFile(fixtures.heic.path), 1_000_000)
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const decoded = await decodeHeic(data, 40_000_000)
    delay.disable()
    expect(decoded.width * decoded.height).toBe(4032 * 3024)
    expect(delay.max / 1e6).toBeLessThan(250)
  })
})
