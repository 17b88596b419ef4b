/**
 * `npm run dev [-- --skip-migrate --skip-seed <next dev options>]`
 *
 * 1. ensures a PostgreSQL database (DATABASE_URI, local :5432, or embedded; see ./database.ts),
 * 2. runs the migrations (`payload migrate`),
 * 3. seeds the demo data (`payload run scripts/seed-cli.ts`, idempotent),
 * 4. starts `next dev` on PORT (default 3000) and prints the admin URL and the demo logins.
 *    Webpack by default: the sources import `./x.js` for `x.ts` (ESM TypeScript), which the
 *    webpack `extensionAlias` in next.config.ts resolves and Turbopack (Next 16.4) cannot.
 *    Other arguments go to `next dev` (e.g. `--turbopack` instead of webpack).
 *
 * Ctrl-C / SIGTERM stop the current step, then the embedded PostgreSQL if it was started here.
 */
import { type ChildProcess, spawn } from 'node:child_process'

import { ensureDatabase, repoRoot } from './database.js'
import { commandEnv, signalExitCode } from './run-with-db.js'
import { demoLogins } from './seed.js'

const ownFlags = new Set(['--skip-migrate', '--skip-seed'])
const argv = process.argv.slice(2).filter((arg) => arg !== '--')
const skipMigrate = argv.includes('--skip-migrate')
const skipSeed = argv.includes('--skip-seed')
const nextArgs = argv.filter((arg) => !ownFlags.has(arg))
if (!nextArgs.some((arg) => ['--turbo', '--turbopack', '--webpack'].includes(arg))) {
  nextArgs.unshift('--webpack')
}
const port = process.env.PORT || '3000'

const log = (message: string): void => {
  process.stderr.write(`[dev] ${message}\n`)
}

let current: ChildProcess | null = null
let interrupted: NodeJS.Signals | null = null

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted ??= signal
    // Ctrl-C already reached the child through the process group; a plain `kill` did not.
    if (current && current.exitCode === null && current.signalCode === null) {
      current.kill(signal)
    }
  })
}

type StepOptions = { env: NodeJS.ProcessEnv; onStdout?: (chunk: Buffer) => void }

const runStep = (file: string, stepArgs: string[], { env, onStdout }: StepOptions): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(file, stepArgs, {
      cwd: repoRoot,
      env,
      stdio: ['inherit', onStdout ? 'pipe' : 'inherit', 'inherit'],
    })
    current = child
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      onStdout?.(chunk)
    })
    child.once('error', (error) => {
      log(`could not run "${file}": ${error.message}`)
      current = null
      resolve(127)
    })
    child.once('exit', (code, signal) => {
      current = null
      resolve(code ?? signalExitCode(signal))
    })
  })

const banner = (): string => {
  const logins = demoLogins()
  const width = Math.max(...logins.map((login) => login.email.length))
  return [
    '',
    `  Admin: http://localhost:${port}/admin`,
    '',
    '  Demo logins (demo accounts only):',
    ...logins.map((login) => `    ${login.role.padEnd(8)} ${login.email.padEnd(width)}  ${login.password}`),
    '',
  ].join('\n')
}

const main = async (): Promise<number> => {
  const db = await ensureDatabase()
  try {
    if (interrupted) {
      return signalExitCode(interrupted)
    }
    const env = commandEnv(db.uri)
    // Payload's CLI steps: quiet Node deprecation warnings, like the `payload` npm script.
    const payloadEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_OPTIONS: [env.NODE_OPTIONS, '--no-deprecation'].filter(Boolean).join(' '),
    }

    if (!skipMigrate) {
      log('running migrations: payload migrate')
      const code = await runStep('payload', ['migrate'], { env: payloadEnv })
      if (code !== 0 || interrupted) {
        log(interrupted ? 'interrupted' : `payload migrate failed (exit code ${code})`)
        return interrupted ? signalExitCode(interrupted) : code
      }
    }

    if (!skipSeed) {
      log('seeding demo data: payload run scripts/seed-cli.ts')
      const code = await runStep('payload', ['run', 'scripts/seed-cli.ts'], { env: payloadEnv })
      if (code !== 0 || interrupted) {
        log(interrupted ? 'interrupted' : `seeding failed (exit code ${code})`)
        return interrupted ? signalExitCode(interrupted) : code
      }
    }

    log(`starting next dev --port ${port} ${nextArgs.join(' ')}`)
    let shown = false
    const show = (): void => {
      if (!shown) {
        shown = true
        process.stdout.write(`${banner()}\n`)
      }
    }
    // Show the banner once Next says it is ready (or after 60 s, whatever it printed).
    const fallback = setTimeout(show, 60_000)
    const code = await runStep('next', ['dev', '--port', port, ...nextArgs], {
      env: { ...env, FORCE_COLOR: process.stdout.isTTY ? '1' : env.FORCE_COLOR, PORT: port },
      onStdout: (chunk) => {
        if (/\bReady\b/i.test(chunk.toString('utf8'))) {
          show()
        }
      },
    })
    clearTimeout(fallback)
    return code
  } finally {
    await db.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error))
    process.exit(1)
  },
)
