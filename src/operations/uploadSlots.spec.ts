import { createUploadSlots } from './uploadSlots.js'

describe('createUploadSlots', () => {
  it('should run at most `max` tasks at once and every task in the order it came', async () => {
    const inSlot = createUploadSlots(2)
    let running = 0
    let mostAtOnce = 0
    const started: number[] = []
    const task = (n: number) => async () => {
      running += 1
      mostAtOnce = Math.max(mostAtOnce, running)
      started.push(n)
      // Let the other callers reach the slots while this one holds one.
      await new Promise((resolve) => setImmediate(resolve))
      running -= 1
      return n
    }
    const results = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((n) => inSlot(task(n))))
    expect({ mostAtOnce, results, started }).toEqual({ mostAtOnce: 2, results: [0, 1, 2, 3, 4, 5, 6], started: [0, 1, 2, 3, 4, 5, 6] })
  })

  it('should free the slot of a task that fails', async () => {
    const inSlot = createUploadSlots(1)
    await expect(inSlot(() => Promise.reject(new Error('failed')))).rejects.toThrow('failed')
    expect(await inSlot(() => Promise.resolve('next'))).toBe('next')
  })

  it('should run work nested in a slot at once, however many slots are held (no deadlock)', async () => {
    const inSlot = createUploadSlots(2)
    let running = 0
    let mostAtOnce = 0
    const outer = (n: number) => () =>
      inSlot(async () => {
        running += 1
        mostAtOnce = Math.max(mostAtOnce, running)
        await new Promise((resolve) => setImmediate(resolve))
        // An endpoint's slotted work calling the (slotted) Local API.
        const inner = await inSlot(() => Promise.resolve(n * 10))
        running -= 1
        return inner
      })
    const results = await Promise.race([
      Promise.all([0, 1, 2, 3].map((n) => outer(n)())),
      new Promise((resolve) => { setTimeout(() => { resolve('deadlock') }, 2000) }),
    ])
    expect({ mostAtOnce, results }).toEqual({ mostAtOnce: 2, results: [0, 10, 20, 30] })
  })
})
