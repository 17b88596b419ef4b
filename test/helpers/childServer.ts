import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

type Message = { [key: string]: unknown; event: string; port?: number }

export type ChildServer = {
  child: ChildProcess
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: null | number; signal: NodeJS.Signals | null }>
  /** Resolves with the next IPC message of this kind (at most `timeoutMs`). */
  next: (event: string, timeoutMs?: number) => Promise<Message>
  origin: string
  output: () => string
}

/**
 * Starts test/helpers/serverProcess.ts in a child process (Node + tsx) on this test file's
 * database and uploads directory, and waits until it listens on loopback.
 */
export const spawnServer = async (env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildServer> => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'helpers', 'serverProcess.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DISABLE_PAYLOAD_HMR: 'true', NODE_OPTIONS: '--no-deprecation', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<{ code: null | number; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal })
    })
  })
  const next = (event: string, wait = timeoutMs): Promise<Message> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage)
        reject(new Error(`no "${event}" from the server within ${wait} ms:\n${output}`))
      }, wait)
      const onMessage = (message: Message) => {
        if (message.event === event) {
          clearTimeout(timer)
          child.off('message', onMessage)
          resolve(message)
        }
      }
      child.on('message', onMessage)
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`the server ended before "${event}":\n${output}`))
      })
    })
  const { port } = await next('ready')
  return { child, exited, next, origin: `http://127.0.0.1:${port}`, output: () => output }
}
