/** Order statistics for small samples (nearest-rank percentiles: with 10 runs, p90 is the 9th). */
const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b)

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) {
    return Number.NaN
  }
  const ordered = sorted(values)
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length))
  return ordered[rank - 1] ?? Number.NaN
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) {
    return Number.NaN
  }
  const ordered = sorted(values)
  const middle = Math.floor(ordered.length / 2)
  return ordered.length % 2 === 1 ? (ordered[middle] ?? Number.NaN) : ((ordered[middle - 1] ?? 0) + (ordered[middle] ?? 0)) / 2
}

export type Summary = { max: number; median: number; min: number; n: number; p90: number; runs: number[] }

export const summarize = (runs: readonly number[]): Summary => ({
  max: Math.max(...runs),
  median: median(runs),
  min: Math.min(...runs),
  n: runs.length,
  p90: percentile(runs, 90),
  runs: runs.map((value) => Math.round(value * 10) / 10),
})

export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(0) : 'n/a')
export const ratio = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'n/a')
