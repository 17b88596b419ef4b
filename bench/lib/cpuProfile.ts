/**
 * Main-thread CPU profile of a stretch of code (node:inspector), summarised by self time per
 * function and per package: how much of an upload's wall time is JavaScript on the event loop.
 */
import fs from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

type ProfileNode = { callFrame: { functionName: string; lineNumber: number; url: string }; children?: number[]; id: number }
type Profile = { endTime: number; nodes: ProfileNode[]; samples: number[]; startTime: number; timeDeltas: number[] }

export type CpuSummary = {
  byFunction: { function: string; ms: number }[]
  byPackage: { ms: number; package: string }[]
  busyMs: number
  idleMs: number
  profiledMs: number
}

const packageOf = (url: string): string => {
  if (!url) {
    return '(native / V8)'
  }
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match?.[1]) {
    return match[1]
  }
  if (url.startsWith('node:')) {
    return 'node core'
  }
  const local = /\/work\/main\/([^/]+)/.exec(url)
  return local?.[1] ? `repo: ${local[1]}/` : url
}

const summarise = (profile: Profile, top: number): CpuSummary => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  // Stopping the profiler (node:inspector) shows up as work of its own: leave it out.
  const artifacts = new Set<number>()
  const markArtifacts = (id: number, inside: boolean, depth: number): void => {
    const node = nodes.get(id)
    if (!node || depth > 10_000) {
      return
    }
    const isArtifact = inside || node.callFrame.url === 'node:inspector' || node.callFrame.url === 'node:inspector/promises'
    if (isArtifact) {
      artifacts.add(id)
    }
    for (const child of node.children ?? []) {
      markArtifacts(child, isArtifact, depth + 1)
    }
  }
  if (profile.nodes[0]) {
    markArtifacts(profile.nodes[0].id, false, 0)
  }
  const selfTime = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    if (artifacts.has(id)) {
      return
    }
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000)
  })
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  let idleMs = 0
  let busyMs = 0
  for (const [id, ms] of selfTime) {
    const frame = nodes.get(id)?.callFrame
    const name = frame?.functionName ?? '?'
    if (name === '(idle)' || name === '(program)' || name === '(root)') {
      idleMs += name === '(idle)' ? ms : 0
      if (name !== '(program)') {
        continue
      }
    }
    busyMs += ms
    const pkg = name === '(garbage collector)' ? '(garbage collector)' : packageOf(frame?.url ?? '')
    const key = `${name || '(anonymous)'} — ${pkg}${frame?.url ? `:${frame.lineNumber + 1}` : ''}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms)
  }
  const sortDesc = <T extends { ms: number }>(list: T[]) => list.sort((x, y) => y.ms - x.ms).slice(0, top)
  return {
    busyMs,
    byFunction: sortDesc([...byFunction].map(([fn, ms]) => ({ function: fn, ms }))),
    byPackage: sortDesc([...byPackage].map(([pkg, ms]) => ({ ms, package: pkg }))),
    idleMs,
    profiledMs: (profile.endTime - profile.startTime) / 1000,
  }
}

/** Profiles `run` on the main thread (sampling every 100 µs), saves the .cpuprofile, returns a summary. */
export const profileCpu = async (run: () => Promise<void>, file: string, top = 30): Promise<CpuSummary> => {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 100 })
    await session.post('Profiler.start')
    let failure: Error | undefined
    try {
      await run()
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error))
    }
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile }
    if (failure) {
      throw failure
    }
    await fs.writeFile(file, JSON.stringify(profile))
    return summarise(profile, top)
  } finally {
    session.disconnect()
  }
}
