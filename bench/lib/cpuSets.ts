/**
 * Two machines on one: `--isolate` in bench/load.bench.ts puts the server side (the Node server,
 * PostgreSQL, nginx) on CPU 0 and the client side (the legit clients and the attacker) on the
 * other CPUs, with `taskset`, so that the attacker's own work (making and sending 50 MB bodies)
 * takes no CPU from the server, as on a real network, while the server still pays for every byte
 * it receives and every refusal it makes. The affinity of every thread of each process is set;
 * threads and processes started later inherit it (PostgreSQL's backends fork from the postmaster,
 * libvips' threads start from the server's). `restorePostgres` gives PostgreSQL all CPUs back.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const allCpus = (): string => `0-${String(os.cpus().length - 1)}`
export const serverCpus = '0'
export const clientCpus = (): string => (os.cpus().length > 2 ? `1-${String(os.cpus().length - 1)}` : '1')

/** `taskset -a -p -c <cpus> <pid>` for each process (all its threads). */
export const pin = async (pids: number[], cpus: string): Promise<void> => {
  for (const pid of pids) {
    await run('taskset', ['-a', '-p', '-c', cpus, String(pid)])
  }
}

/** The PostgreSQL server's processes (postmaster, backends, background workers) on this machine. */
export const postgresPids = async (): Promise<number[]> => {
  const entries = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name))
  const comms = await Promise.all(entries.map(async (pid) => [Number(pid), (await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim()] as const))
  return comms.filter(([, comm]) => comm === 'postgres').map(([pid]) => pid)
}

/** The CPUs a process may run on, as `taskset` prints them ("0", "1", "0-1"). */
export const cpusOf = async (pid: number): Promise<string> => (await run('taskset', ['-c', '-p', String(pid)])).stdout.trim().split(': ')[1] ?? '?'

export const restorePostgres = async (): Promise<void> => {
  await pin(await postgresPids(), allCpus())
}
