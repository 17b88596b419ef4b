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
