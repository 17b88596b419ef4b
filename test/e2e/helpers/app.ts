import type { ChildProcess } from 'node:child_process'
import type { Payload } from 'payload'

import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { seedDemo } from '../../../scripts/seed.js'
import { startPayload } from '../../helpers/payload.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const nextBin = path.join(repoRoot, 'node_modules', '.bin', 'next')
/** The browser tests' own build, so a running `npm run dev` (which uses .next) is left alone. */
const distDir = '.next-e2e'

export type E2EApp = {
  baseURL: string
  payload: Payload
  /** What the server printed, for a failing test's message. */
  serverOutput: () => string
  stop: () => Promise<void>
  uploadsDir: string
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => { resolve(port); })
    })
  })

const run = (args: string[], env: NodeJS.ProcessEnv): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(nextBin, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code === 0) {
        resolve()
      } else {
        reject(new Error(`next ${args.join(' ')} exited ${code}:\n${output}`))
      }
    })
  })

const waitForServer = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}`)
    }
    const answered = await fetch(url).then(
      (response) => response.status < 500,
      () => false,
    )
    if (answered) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`next start did not answer ${url} within ${timeoutMs} ms`)
}

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve()
      return
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(killer)
      resolve()
    })
    child.kill('SIGTERM')
  })

/** Marks the build with the run that made it (DERMA_E2E_RUN, set by test/globalSetup.js). */
const runStamp = path.join(repoRoot, distDir, 'derma-e2e-run')
/** One builder at a time: `next build` into the same directory twice at once corrupts it. */
const buildLock = path.join(os.tmpdir(), `derma-e2e-build-${crypto.createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`)
const staleLockMs = 15 * 60_000

const isBuilt = (reuse: boolean): boolean => {
  if (!fs.existsSync(path.join(repoRoot, distDir, 'BUILD_ID'))) {
    return false
  }
  const run = process.env.DERMA_E2E_RUN
  return reuse || (run !== undefined && fs.existsSync(runStamp) && fs.readFileSync(runStamp, 'utf8') === run)
}

const tryLock = (): boolean => {
  try {
    fs.mkdirSync(buildLock)
    return true
  } catch {
    // A builder killed mid-build leaves its lock behind; after 15 min it is no longer building.
    const age = Date.now() - (fs.statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if (age > staleLockMs) {
      fs.rmSync(buildLock, { force: true, recursive: true })
    }
    return false
  }
}

/**
 * Builds the app once per test run: the first browser test file builds under a lock, the others
 * wait for that lock and reuse its build (or, with DERMA_E2E_REUSE_BUILD=1, any existing build).
 */
const ensureBuild = async (env: NodeJS.ProcessEnv): Promise<void> => {
  const reuse = process.env.DERMA_E2E_REUSE_BUILD === '1'
  while (!isBuilt(reuse)) {
    if (!tryLock()) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      continue
    }
    try {
      if (!isBuilt(reuse)) {
        await run(['build', '--webpack'], env)
        fs.writeFileSync(runStamp, process.env.DERMA_E2E_RUN ?? '')
      }
    } finally {
      fs.rmSync(buildLock, { force: true, recursive: true })
    }
    return
  }
}

/**
 * The demo app as a clinic runs it: a fresh database migrated with the committed migrations and
 * seeded with the demo clinic, a production build (one `next build` per test run, see ensureBuild)
 * served by `next start` on a free loopback port.
 */
export const startApp = async (label: string): Promise<E2EApp> => {
  const context = await startPayload(label)
  await seedDemo(context.payload)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production',
  }
  await ensureBuild(env)
  const port = await freePort()
  const child = spawn(nextBin, ['start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const baseURL = `http://127.0.0.1:${port}`
  try {
    await waitForServer(`${baseURL}/api/users/me`, child, 60_000)
  } catch (error) {
    await stopChild(child)
    await context.cleanup()
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error })
  }
  return {
    baseURL,
    payload: context.payload,
    serverOutput: () => output,
    stop: async () => {
      await stopChild(child)
      await context.cleanup()
    },
    uploadsDir: context.uploadsDir,
  }
}
