/**
 * Debian's nginx (`apt-get install -y nginx`) in front of the app, as a clinic deploys it: a child
 * process on a generated config in a temp directory, built from docs/nginx.conf.example (the
 * README's example) with only its `listen` line and upstream address replaced.
 */
import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const nginxTemplate = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'nginx.conf.example')

export type Nginx = {
  /** nginx's own version line (`nginx -v`). */
  version: string
  origin: string
  /** The master's and its workers' process IDs. */
  pids: () => Promise<number[]>
  /** RSS of the master and its workers, in bytes. */
  rss: () => Promise<number>
  stop: () => Promise<void>
}

const replaceOnce = (text: string, pattern: RegExp, replacement: string): string => {
  if (!pattern.test(text)) {
    throw new Error(`${nginxTemplate} no longer has a line matching ${String(pattern)}`)
  }
  return text.replace(pattern, replacement)
}

/** The template's `upstream`/`server` blocks, listening on `port` and proxying to `upstream` (host:port). */
export const renderServerBlocks = (template: string, port: number, upstream: string): string =>
  replaceOnce(replaceOnce(template, /^(\s*)listen 80;/m, `$1listen 127.0.0.1:${String(port)};`), /^(\s*)server 127\.0\.0\.1:3000;/m, `$1server ${upstream};`)

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => { resolve(port); })
    })
  })

const listening = async (port: number, child: ChildProcess, log: () => Promise<string>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited (${String(child.exitCode)}):\n${await log()}`)
    }
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.once('error', () => { resolve(false); })
    })
    if (connected) {
      return
    }
    if (Date.now() > deadline) {
      throw new Error(`nginx did not listen on ${String(port)} within ${String(timeoutMs)} ms:\n${await log()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const rssOf = async (pid: number): Promise<number> => {
  const status = await fs.readFile(`/proc/${String(pid)}/status`, 'utf8').catch(() => '')
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : 0
}

/** The master's children (its workers), from /proc. */
const childrenOf = async (pid: number): Promise<number[]> => {
  const pids = (await fs.readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name))
  const found = await Promise.all(
    pids.map(async (candidate) => {
      const stat = await fs.readFile(`/proc/${candidate}/stat`, 'utf8').catch(() => '')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[1]) === pid ? Number(candidate) : undefined
    }),
  )
  return found.filter((one): one is number => one !== undefined)
}

/** Starts nginx (`nginx -p <dir> -c <conf> -g 'daemon off;'`) in front of `upstream` (host:port). */
export const startNginx = async (upstream: string, binary = process.env.NGINX_PATH ?? 'nginx'): Promise<Nginx> => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-nginx-'))
  // Started as root, nginx's workers run as `nobody`: they must reach the temp paths.
  await fs.chmod(dir, 0o755)
  const port = await freePort()
  const conf = path.join(dir, 'nginx.conf')
  const serverBlocks = renderServerBlocks(await fs.readFile(nginxTemplate, 'utf8'), port, upstream)
  await fs.writeFile(
    conf,
    [
      'worker_processes auto;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '    access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${path.join(dir, `${name}_temp`)};`),
      serverBlocks,
      '}',
      '',
    ].join('\n'),
  )
  const version = await new Promise<string>((resolve) => {
    const probe = spawn(binary, ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let text = ''
    probe.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    probe.once('error', () => { resolve('nginx: not found'); })
    probe.once('exit', () => { resolve(text.trim()); })
  })
  const child = spawn(binary, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => { resolve(); })
  })
  child.once('error', () => undefined)
  const log = () => fs.readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '')
  const pids = async () => [child.pid ?? 0, ...(await childrenOf(child.pid ?? 0))]
  await listening(port, child, log)
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    pids,
    rss: async () => (await Promise.all((await pids()).map(rssOf))).reduce((sum, one) => sum + one, 0),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      await fs.rm(dir, { force: true, recursive: true })
    },
    version,
  }
}
