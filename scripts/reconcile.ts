/**
 * `npm run reconcile [-- --fix] [--older-than 10m] [--json] [--uploads-dir <dir>]`
 *
 * Compares the consultation images' storage directory with their rows (see
 * src/operations/reconcileStorage.ts) and prints a summary, or the report as JSON with `--json`.
 * `--fix` removes orphan and temp files older than `--older-than` (default 10m; units ms, s, m,
 * h, d); rows are never deleted. Exit code: 0 consistent, 1 problems remain, 2 error.
 *
 * The uploads directory is the one the plugin resolved for the running config, read back from the
 * collection: the plugin records it in the collection's `custom.dermaImages.uploadsDir`.
 * `--uploads-dir` overrides it.
 */
import type { Config, Payload, SanitizedConfig } from 'payload'

import path from 'node:path'
import { parseArgs } from 'node:util'
import { getPayload } from 'payload'

import type { StorageReport } from '../src/operations/reconcileStorage.js'

import { defaultReconcileOlderThanMs, reconcileStorage } from '../src/operations/reconcileStorage.js'

const collection = 'consultation-images'
const listLimit = 20

class UsageError extends Error {}

const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, ms: 1, s: 1000 }

/** `90s`, `10m`, `2h`, `1d`, `500ms` → milliseconds. */
const parseDuration = (text: string): number => {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim())
  const unit = match?.[2] ? units[match[2]] : undefined
  if (!match || unit === undefined) {
    throw new UsageError(`--older-than: expected a duration such as 10m, 90s or 2h, got "${text}"`)
  }
  return Number(match[1]) * unit
}

const readOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        fix: { default: false, type: 'boolean' },
        json: { default: false, type: 'boolean' },
        'older-than': { type: 'string' },
        'uploads-dir': { type: 'string' },
      },
      strict: true,
    })
    return {
      fix: values.fix,
      json: values.json,
      olderThanMs: values['older-than'] === undefined ? defaultReconcileOlderThanMs : parseDuration(values['older-than']),
      uploadsDir: values['uploads-dir'],
    }
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** The collection's size names and the plugin's uploads directory, as the config resolved them. */
const resolveTarget = (payload: Payload, override: string | undefined) => {
  const upload = payload.collections[collection]?.config.upload
  if (!upload) {
    throw new Error(`the config has no upload collection "${collection}"`)
  }
  const sizeNames = (upload.imageSizes ?? []).map((size) => size.name)
  if (override) {
    return { sizeNames, uploadsDir: path.resolve(override) }
  }
  const custom = payload.collections[collection]?.config.custom as { dermaImages?: { uploadsDir?: string } } | undefined
  const uploadsDir = custom?.dermaImages?.uploadsDir
  if (!uploadsDir) {
    throw new Error(`cannot tell the uploads directory of "${collection}"; pass --uploads-dir <dir>`)
  }
  return { sizeNames, uploadsDir }
}

/** Findings that a run leaves in place: files not removed, rows missing files, unknown entries. */
const remainingProblems = (report: StorageReport): number =>
  [...report.orphanFiles, ...report.tempFiles].filter((name) => !report.removed.includes(name)).length +
  report.rowsMissingFiles.length +
  report.unknownEntries.length

/** Up to `listLimit` lines, then how many more. */
const listed = (lines: string[]): string[] => [
  ...lines.slice(0, listLimit).map((line) => `    ${line}`),
  ...(lines.length > listLimit ? [`    … ${lines.length - listLimit} more (see --json)`] : []),
]

const formatDuration = (ms: number): string =>
  Object.entries(units)
    .filter(([, size]) => ms % size === 0)
    .map(([unit, size]) => `${ms / size}${unit}`)[0] ?? `${ms}ms`

/** The human summary: counts, server-made names and row IDs only. */
const summarize = (
  report: StorageReport,
  { fix, olderThanMs, uploadsDir }: { fix: boolean; olderThanMs: number; uploadsDir: string },
): string => {
  const age = formatDuration(olderThanMs)
  const files = fix ? report.removed : report.removable
  const problems = remainingProblems(report)
  return [
    `Storage of ${collection}: ${report.scannedRows} rows, ${report.scannedFiles} entries in ${uploadsDir}`,
    `  orphan files (no row):    ${report.orphanFiles.length}`,
    `  temp files (.incoming-*): ${report.tempFiles.length}`,
    `  rows missing files:       ${report.rowsMissingFiles.length} (never changed automatically)`,
    ...listed(report.rowsMissingFiles.map((row) => `id ${row.id}: ${row.missing.join(', ')}`)),
    // Names the server did not make may carry patient data: counted here, listed only in --json.
    `  unknown entries:          ${report.unknownEntries.length} (never removed; names in --json)`,
    `${fix ? 'Removed' : 'Removable with --fix'} (orphan and temp files older than ${age}): ${files.length}`,
    ...listed(files),
    problems === 0 ? 'Consistent.' : `${problems} problem(s) remain.`,
  ].join('\n')
}

// stdout carries the report (JSON with --json): Payload's own logs go to stderr, errors only.
const logger: Config['logger'] = { destination: process.stderr, options: { level: 'error' } }

const main = async (): Promise<number> => {
  const options = readOptions()
  // A maintenance run must not regenerate payload-types.ts nor connect to a dev server's HMR.
  process.env.DISABLE_PAYLOAD_HMR = 'true'
  const { default: configPromise } = await import('../payload.config.js')
  const config = await configPromise
  const payload = await getPayload({
    config: {
      ...config,
      // The sanitized type deep-requires every pino option; Payload's getLogger needs only these.
      logger: logger as SanitizedConfig['logger'],
      typescript: { ...config.typescript, autoGenerate: false },
    },
  })
  const { sizeNames, uploadsDir } = resolveTarget(payload, options.uploadsDir)
  const report = await reconcileStorage({ ...options, collection, payload, sizeNames, uploadsDir })
  process.stdout.write(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : `${summarize(report, { ...options, uploadsDir })}\n`,
  )
  return remainingProblems(report) === 0 ? 0 : 1
}

const exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`reconcile: ${error instanceof Error ? error.message : String(error)}\n`)
  if (error instanceof UsageError) {
    process.stderr.write('usage: npm run reconcile -- [--fix] [--older-than 10m] [--json] [--uploads-dir <dir>]\n')
  }
  return 2
})
process.exit(exitCode)
