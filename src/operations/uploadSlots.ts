import type { Payload } from 'payload'

import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * At most `max` uploads are stored at once; the others wait in line, in order. Storing an upload
 * holds a pooled database connection for its whole transaction, image processing included, so
 * without a bound a burst of uploads (50 phones syncing after a clinic's Wi-Fi came back) takes
 * every connection and the requests still waiting for one fail with a 500 after the pool's
 * connection timeout. Waiting here holds no connection. Work that already runs in one of these
 * slots (an endpoint's `payload.create`, itself slotted) runs at once, so nesting never waits for
 * a second slot.
 */
export const createUploadSlots = (max: number) => {
  const holding = new AsyncLocalStorage<true>()
  let running = 0
  const waiting: (() => void)[] = []
  const release = (): void => {
    const next = waiting.shift()
    if (next) {
      next()
    } else {
      running -= 1
    }
  }
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (holding.getStore()) {
      return work()
    }
    if (running < max) {
      running += 1
    } else {
      // A released slot passes straight to the first in line (`running` stays the same).
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
    try {
      return await holding.run(true, work)
    } finally {
      release()
    }
  }
}

const slotsByConfig = new WeakMap<object, ReturnType<typeof createUploadSlots>>()

/**
 * The one set of `maxConcurrentUploads` slots of a plugin instance (its sanitized config), shared
 * by every route that stores uploads: the per-consultation endpoint and Payload's own
 * `POST /api/<consultation-images>` (the admin's create and bulk upload), so that a burst on
 * both together still holds at most `maxConcurrentUploads` transactions.
 */
export const uploadSlotsOf = (config: { maxConcurrentUploads: number }): ReturnType<typeof createUploadSlots> => {
  let slots = slotsByConfig.get(config)
  if (!slots) {
    slots = createUploadSlots(config.maxConcurrentUploads)
    slotsByConfig.set(config, slots)
  }
  return slots
}

type FileOptions = { collection?: string; file?: unknown; filePath?: unknown }

/**
 * The Local API's `create` and `update` of an image with a file (an app's import script, a
 * migration from another system) store in the same slots: Payload opens the operation's
 * transaction, and so takes a pooled connection, before the plugin's ingest decodes the photo.
 * Payload's REST routes and GraphQL call the operations directly, not these methods (and GraphQL
 * carries no files); the plugin's routes take their slot before calling them.
 */
export const slotLocalApiUploads = (payload: Payload, config: { maxConcurrentUploads: number; slugs: { consultationImages: string } }): void => {
  const inSlot = uploadSlotsOf(config)
  const needsSlot = (options: FileOptions) => options.collection === config.slugs.consultationImages && Boolean(options.file ?? options.filePath)
  for (const method of ['create', 'update'] as const) {
    const original = payload[method].bind(payload) as (options: FileOptions) => Promise<unknown>
    ;(payload as unknown as Record<typeof method, typeof original>)[method] = (options) => (needsSlot(options) ? inSlot(() => original(options)) : original(options))
  }
}
