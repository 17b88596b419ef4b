/**
 * `tsx scripts/run-with-db.ts [--db <name>] -- <command...>`
 *
 * Ensures a PostgreSQL database (see ./database.ts), then runs the command with DATABASE_URI and
 * PAYLOAD_SECRET in its environment, forwards SIGINT/SIGTERM/SIGHUP to it, stops the embedded
 * server if this run started it, and exits with the command's exit code.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { ensureDatabase, repoRoot } from './database.js'

export const DEV_PAYLOAD_SECRET = 'derma-images-dev-only-secret-do-not-use-in-production'

/** The environment for commands that need the database (also used by scripts/dev.ts). */
export const commandEnv = (uri: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => {
  // A clinic's server does not report usage to Next's telemetry unless someone opts in.
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...base, DATABASE_URI: uri }
  if (!env.PAYLOAD_SECRET) {
    if (env.NODE_ENV === 'production') {
      process.stderr.write(
        '[db] WARNING: PAYLOAD_SECRET is not set and NODE_ENV=production; using the public dev-only ' +
          'secret. Set PAYLOAD_SECRET to a long random value before exposing this server.\n',
      )
    }
    env.PAYLOAD_SECRET = DEV_PAYLOAD_SECRET
  }
  // Make local bins (next, payload, tsx) resolvable even outside `npm run`.
  const bin = path.join(repoRoot, 'node_modules', '.bin')
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH'
  const current = env[pathKey] ?? ''
  if (!current.split(path.delimiter).includes(bin)) {
    env[pathKey] = current ? `${bin}${path.delimiter}${current}` : bin
  }
  return env
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export const signalExitCode = (signal: NodeJS.Signals | null): number => {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
  return 128 + ((signal && numbers[signal]) || 1)
}

const usage = (): never => {
  process.stderr.write('usage: tsx scripts/run-with-db.ts [--db <database>] -- <command> [args...]\n')
  process.exit(2)
}

const parseArgs = (argv: string[]): { command: string[]; databaseName?: string } => {
  const separator = argv.indexOf('--')
  const own = separator === -1 ? [] : argv.slice(0, separator)
  const command = separator === -1 ? argv : argv.slice(separator + 1)
  let databaseName: string | undefined
  for (let i = 0; i < own.length; i++) {
    if (own[i] === '--db' && own[i + 1]) {
      databaseName = own[++i]
    } else {
      usage()
    }
  }
  if (command.length === 0) {
    usage()
  }
  return { command, databaseName }
}

const main = async (): Promise<void> => {
  const { command, databaseName } = parseArgs(process.argv.slice(2))
  const [file, ...args] = command as [string, ...string[]]

  // Signals that arrive while the database is starting: stop it and leave.
  let interrupted: NodeJS.Signals | null = null
  const earlyHandler = (signal: NodeJS.Signals): void => {
    interrupted = signal
  }
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, earlyHandler)
  }

  const db = await ensureDatabase({ databaseName })
  if (interrupted) {
    await db.stop()
    process.exit(signalExitCode(interrupted))
  }

  const child = spawn(file, args, { env: commandEnv(db.uri), stdio: 'inherit' })

  for (const signal of FORWARDED_SIGNALS) {
    process.off(signal, earlyHandler)
    process.on(signal, () => {
      // With Ctrl-C the terminal signals the whole process group, the child included; relaying
      // matters when only this process is signalled (kill, docker stop, CI timeouts).
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal)
      }
    })
  }

  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`[db] could not run "${file}": ${error.message}\n`)
      resolve(127)
    })
    child.once('exit', (exitCode, signal) => { resolve(exitCode ?? signalExitCode(signal)); })
  })

  await db.stop()
  process.exit(code)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`[db] ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
