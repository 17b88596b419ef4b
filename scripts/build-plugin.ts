/**
 * `npm run build:plugin`: the publishable package in `dist/` (what `npm pack` ships, see
 * ./pack-manifest.ts). Empties `dist/`, compiles `src/` to ES modules and `.d.ts` with tsc
 * (tsconfig.build.json, no `*.spec.ts`), then copies every other file of `src/` that the code
 * needs at run time beside its module: the SCSS its client components import and the HEIC
 * decoder's worker script (`image/heicWorker.mjs`), which `image/heicPool.ts` starts by URL.
 * It writes to stderr only (`npm pack --json` runs it and prints its JSON on stdout).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const srcDir = path.join(repoRoot, 'src')
const distDir = path.join(repoRoot, 'dist')

/** Compiled by tsc (or, for `*.spec.*`, not shipped at all). */
const isCompiledOrTest = (file: string): boolean => /\.tsx?$/.test(file) || /\.spec\.[^.]+$/.test(file)

/** The files under `dir` that tsc does not turn into JavaScript, relative to `dir`. */
const listAssets = async (dir: string, prefix = ''): Promise<string[]> => {
  const assets: string[] = []
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name)
    if (entry.isDirectory()) {
      assets.push(...(await listAssets(dir, relative)))
    } else if (entry.isFile() && !isCompiledOrTest(entry.name)) {
      assets.push(relative)
    }
  }
  return assets.sort()
}

const compile = (): void => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(repoRoot, 'tsconfig.build.json')], {
    cwd: repoRoot,
    // tsc's diagnostics go to stderr too: `npm pack --json` prints its JSON on stdout, after this script's output.
    stdio: ['ignore', 2, 'inherit'],
  })
  if (result.status !== 0) {
    throw new Error(`tsc -p tsconfig.build.json failed (exit code ${String(result.status)})`)
  }
}

const main = async (): Promise<void> => {
  const started = performance.now()
  await fs.rm(distDir, { force: true, recursive: true })
  compile()
  const assets = await listAssets(srcDir)
  for (const asset of assets) {
    await fs.mkdir(path.dirname(path.join(distDir, asset)), { recursive: true })
    await fs.copyFile(path.join(srcDir, asset), path.join(distDir, asset))
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.error(`[build:plugin] dist/ built in ${seconds} s (${String(assets.length)} assets copied: ${assets.join(', ')})`)
}

await main()
