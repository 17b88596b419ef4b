/**
 * At most `max` uploads are stored at once; the others wait in line, in order. Storing an upload
 * holds a pooled database connection for its whole transaction, image processing included, so
 * without a bound a burst of uploads (50 phones syncing after a clinic's Wi-Fi came back) takes
 * every connection and the requests still waiting for one fail with a 500 after the pool's
 * connection timeout. Waiting here holds no connection.
 */
export const createUploadSlots = (max: number) => {
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
    if (running < max) {
      running += 1
    } else {
      // A released slot passes straight to the first in line (`running` stays the same).
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
    try {
      return await work()
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
