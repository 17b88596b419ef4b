/**
 * Other work on this machine (tests, fixture builds) distorts wall-clock figures. Before each
 * measured round the benchmark waits, for a bounded time, until the whole machine's CPU is mostly
 * idle, and records what it saw so that RESULTS.md can say how quiet the run was.
 */
import fs from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

const readStat = async (): Promise<{ idle: number; total: number } | undefined> => {
  try {
    const line = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0] ?? ''
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const total = fields.reduce((sum, value) => sum + value, 0)
    return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total }
  } catch {
    return undefined
  }
}

/** Share (0–1) of all CPUs busy during the next `windowMs` (this process is asleep meanwhile). */
export const busyShare = async (windowMs: number): Promise<number> => {
  const before = await readStat()
  await sleep(windowMs)
  const after = await readStat()
  if (!before || !after || after.total === before.total) {
    return Number.NaN
  }
  return 1 - (after.idle - before.idle) / (after.total - before.total)
}

export type Quiet = { busy: number; waitedMs: number }

/**
 * Waits until the machine is at most `threshold` busy over a `windowMs` window, for at most
 * `maxWaitMs`; returns the last busy share seen and how long it waited.
 */
export const waitForQuiet = async ({ maxWaitMs = 20_000, threshold = 0.15, windowMs = 300 } = {}): Promise<Quiet> => {
  const start = performance.now()
  for (;;) {
    const busy = await busyShare(windowMs)
    const waitedMs = performance.now() - start
    if (!(busy > threshold) || waitedMs >= maxWaitMs) {
      return { busy, waitedMs }
    }
    await sleep(500)
  }
}

export const loadAverage = async (): Promise<string> => (await fs.readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ')

const CLOCK_TICK_MS = 10 // USER_HZ is 100 on Linux (getconf CLK_TCK)

/** CPU time (ms) used so far by all `postgres` processes: our database work, not someone else's. */
const postgresCpuMs = async (): Promise<number> => {
  let total = 0
  const pids = (await fs.readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name))
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
      const close = stat.lastIndexOf(')')
      if (close < 0 || !stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) {
        return
      }
      const fields = stat.slice(close + 2).split(' ')
      // Fields after the command: state is [0], utime [11], stime [12] (proc(5) numbers 14 and 15).
      total += (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS
    }),
  )
  return total
}

const machineBusyMs = async (): Promise<number> => {
  const stat = await readStat()
  return stat ? (stat.total - stat.idle) * CLOCK_TICK_MS : Number.NaN
}

export type CpuSnapshot = { busyMs: number; ownMs: number; postgresMs: number; wall: number }

export const cpuSnapshot = async (): Promise<CpuSnapshot> => {
  const [busyMs, postgresMs] = await Promise.all([machineBusyMs(), postgresCpuMs()])
  const own = process.cpuUsage()
  return { busyMs, ownMs: (own.user + own.system) / 1000, postgresMs, wall: performance.now() }
}

/**
 * CPU time other programs used between two snapshots: the whole machine's busy time minus this
 * process (all its threads: sharp, the HEIC worker) and PostgreSQL. Coarse (10 ms ticks), but
 * enough to flag runs that shared the CPUs with someone else.
 */
export const foreignCpuMs = (before: CpuSnapshot, after: CpuSnapshot): number =>
  Math.max(0, after.busyMs - before.busyMs - (after.ownMs - before.ownMs) - (after.postgresMs - before.postgresMs))

/** A run during which other programs used more than a tenth of one CPU on average. */
export const isDisturbed = (wallMs: number, foreignMs: number): boolean => foreignMs > 0.1 * wallMs
