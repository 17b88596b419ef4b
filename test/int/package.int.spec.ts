/**
 * The package as npm publishes it: `npm pack` of a copy of this working tree (its `prepack` builds
 * dist/ and writes the published package.json; the repository itself is left alone), the
 * tarball's files and imports, and the package extracted into a host app's node_modules and used
 * from plain Node (no TypeScript, no bundler).
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import { builtinModules } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import ts from 'typescript'

import { fixtures } from '../fixtures/index.js'

type Manifest = {
  dependencies?: Record<string, string>
  exports: Record<string, Record<string, string>>
  main: string
  name: string
  peerDependencies?: Record<string, string>
  types: string
}

type DependencyManifest = { peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }

/** What the host's script (below) reports, or why it failed. */
type HostReport = {
  bin?: { key: string; scriptPath: string }[]
  collections?: string[]
  error?: string
  heic?: { error: string } | { height: number; width: number }
  resolved?: Record<string, string>
}

const run = promisify(execFile)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const packageName = 'payload-derma-images'

/** The host's script: a Payload config with the plugin, as an app's payload.config would build it. */
const hostScript = `
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { buildConfig } from 'payload'
import { dermaImagesPlugin } from '${packageName}'

const config = await buildConfig({
  collections: [{ slug: 'users', auth: true, fields: [] }],
  db: postgresAdapter({ pool: { connectionString: 'postgres://127.0.0.1:1/never-connected' } }),
  plugins: [dermaImagesPlugin({ uploadsDir: process.env.UPLOADS_DIR })],
  secret: 'package-test',
  telemetry: false,
})
const subpaths = ['${packageName}', '${packageName}/client', '${packageName}/rsc', '${packageName}/types']
// The server's HEIC decoder, from the installed files: its worker script must ship beside it.
const { closeHeicDecoders, decodeHeic } = await import(new URL('./node_modules/${packageName}/dist/image/heicPool.js', import.meta.url).href)
const heic = await decodeHeic(fs.readFileSync(process.env.HEIC_FIXTURE), 1_000_000).then(
  ({ height, width }) => ({ height, width }),
  (error) => ({ error: String(error.cause ?? error) }),
)
await closeHeicDecoders()
process.stdout.write('HOST-REPORT ' + JSON.stringify({
  bin: (config.bin ?? []).map(({ key, scriptPath }) => ({ key, scriptPath })),
  collections: config.collections.map((collection) => collection.slug),
  heic,
  resolved: Object.fromEntries(subpaths.map((subpath) => [subpath, fileURLToPath(import.meta.resolve(subpath))])),
}) + '\\n')
`

let tmp: string
/** The tarball's files, without npm's `package/` prefix. */
let files: string[]
/** The extracted package in the host's node_modules. */
let installed: string
let manifest: Manifest
let report: HostReport

/** This process's environment without npm's and Jest's settings (the outer `npm test`'s). */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && key !== 'NODE_OPTIONS')),
  NODE_ENV: process.env.NODE_ENV,
  ...extra,
})

const listFiles = async (dir: string, prefix = ''): Promise<string[]> => {
  const found: string[] = []
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name)
    found.push(...(entry.isDirectory() ? await listFiles(dir, relative) : [relative]))
  }
  return found
}

/** A clean checkout of the working tree: its tracked and untracked, not ignored, files. */
const copyWorkingTree = async (to: string): Promise<void> => {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 16 << 20 })
  const tracked = stdout.split('\0').filter((file) => file !== '')
  for (const file of tracked) {
    const from = path.join(repoRoot, file)
    // A tracked file deleted in the working tree is not part of it.
    const stat = await fs.stat(from).catch(() => undefined)
    if (stat?.isFile()) {
      await fs.mkdir(path.dirname(path.join(to, file)), { recursive: true })
      await fs.copyFile(from, path.join(to, file))
    }
  }
  await fs.symlink(path.join(repoRoot, 'node_modules'), path.join(to, 'node_modules'), 'dir')
  // What a developer's checkout holds besides, and the package must never ship.
  await fs.writeFile(path.join(to, '.env'), 'DATABASE_URI=postgres://clinic:not-a-real-password@db/clinic\n')
  await fs.mkdir(path.join(to, 'uploads', 'consultation-images'), { recursive: true })
  await fs.copyFile(fixtures.heic.path, path.join(to, 'uploads', 'consultation-images', 'patient-photo.heic'))
}

/** Installs the tarball's package, and symlinks to this repository's copies of what it declares. */
const installInHost = async (tarball: string, host: string): Promise<void> => {
  installed = path.join(host, 'node_modules', packageName)
  await fs.mkdir(installed, { recursive: true })
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  manifest = JSON.parse(await fs.readFile(path.join(installed, 'package.json'), 'utf8')) as Manifest
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    await fs.mkdir(path.dirname(path.join(host, 'node_modules', name)), { recursive: true })
    await fs.symlink(path.join(repoRoot, 'node_modules', name), path.join(host, 'node_modules', name), 'dir')
  }
  await fs.writeFile(path.join(host, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }))
}

const runHost = async (host: string): Promise<HostReport> => {
  await fs.writeFile(path.join(host, 'check.mjs'), hostScript)
  const { stdout } = await run(process.execPath, ['check.mjs'], {
    cwd: host,
    env: cleanEnv({ HEIC_FIXTURE: fixtures.heic.path, UPLOADS_DIR: path.join(host, 'uploads') }),
    timeout: 60_000,
  })
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('HOST-REPORT '))
  return JSON.parse(line?.slice('HOST-REPORT '.length) ?? 'null') as HostReport
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-package-'))
  const checkout = path.join(tmp, 'checkout')
  const out = path.join(tmp, 'out')
  await copyWorkingTree(checkout)
  await fs.mkdir(out)
  const started = performance.now()
  // The build (tsc) takes most of this: about 25 s on 2 shared vCPUs.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: checkout, env: cleanEnv(), maxBuffer: 16 << 20, timeout: 150_000 })
  console.log(`npm pack (with the build) took ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const [packed] = JSON.parse(stdout) as { filename: string }[]
  const tarball = path.join(out, packed?.filename ?? 'missing.tgz')
  const listing = await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 })
  files = listing.stdout
    .split('\n')
    .filter((entry) => entry !== '' && !entry.endsWith('/'))
    .map((entry) => entry.replace(/^package\//, ''))
    .sort()
  const host = path.join(tmp, 'host')
  await installInHost(tarball, host)
  report = await runHost(host).catch((error: unknown) => ({ error: String(error) }))
}, 180_000)

afterAll(async () => {
  await fs.rm(tmp, { force: true, recursive: true })
})

/** Every `import`/`export … from`/`import()` specifier of the package's JavaScript, by file. */
const importsOfShippedJavaScript = async (): Promise<{ file: string; specifier: string }[]> => {
  const scripts = files.filter((file) => /\.m?js$/.test(file))
  const found: { file: string; specifier: string }[] = []
  for (const file of scripts) {
    const info = ts.preProcessFile(await fs.readFile(path.join(installed, file), 'utf8'), true, true)
    found.push(...info.importedFiles.map(({ fileName }) => ({ file, specifier: fileName })))
  }
  return found
}

const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

describe('the packed package', () => {
  it('should ship the entry points, their types, the HEIC worker and the styles', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/exports/client.js',
        'dist/exports/client.d.ts',
        'dist/exports/rsc.js',
        'dist/exports/rsc.d.ts',
        'dist/exports/types.js',
        'dist/exports/types.d.ts',
        'dist/image/heicWorker.mjs',
        'dist/audit/purgeScript.js',
        'dist/components/ConsultationGallery/index.scss',
        'package.json',
        'README.md',
        'LICENSE',
      ]),
    )
  })

  it('should ship every module of src/ compiled with its .d.ts, every other file of src/ as is, and nothing else', async () => {
    const sources = (await listFiles(path.join(repoRoot, 'src'))).filter((file) => !/\.spec\.[^.]+$/.test(file))
    const expected = sources.flatMap((file) => {
      const compiled = file.replace(/\.tsx?$/, '')
      return compiled === file ? [`dist/${file}`] : [`dist/${compiled}.js`, `dist/${compiled}.d.ts`]
    })
    expect(files).toEqual([...expected, 'LICENSE', 'README.md', 'package.json'].sort())
  })

  it('should leave out the sources, tests, benchmarks, demo app, migrations, uploads, .env and specs', () => {
    expect(files.filter((file) => /^(src|test|bench|app|demo|docs|migrations|scripts|uploads|node_modules)\/|(^|\/)\.env|\.spec\.|\.tsbuildinfo$|\.prepack$/.test(file))).toEqual([])
  })

  it('should point exports, main and types of its package.json at files it ships', () => {
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.exports).flatMap((conditions) => Object.values(conditions))]
    expect({ count: targets.length, missing: targets.filter((target) => !files.includes(path.posix.normalize(target))) }).toEqual({ count: 14, missing: [] })
  })

  it('should declare every package its JavaScript imports as a dependency or peer dependency', async () => {
    const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })])
    const builtins = new Set(builtinModules)
    const undeclared = (await importsOfShippedJavaScript())
      .filter(({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtins.has(specifier))
      .filter(({ specifier }) => !declared.has(packageOf(specifier)))
    expect(undeclared).toEqual([])
  })

  it('should declare the peer dependencies of its dependencies as its own', async () => {
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }))
    const required = await Promise.all(
      Object.keys(manifest.dependencies ?? {}).map(async (name) => {
        const dependency = JSON.parse(await fs.readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as DependencyManifest
        const optional = dependency.peerDependenciesMeta ?? {}
        return Object.keys(dependency.peerDependencies ?? {}).filter((peer) => optional[peer]?.optional !== true)
      }),
    )
    expect([...new Set(required.flat())].filter((peer) => !declared.has(peer))).toEqual([])
  })

  it('should resolve every relative import of its JavaScript to a file it ships', async () => {
    const relative = (await importsOfShippedJavaScript()).filter(({ specifier }) => specifier.startsWith('.'))
    const missing = relative.filter(({ file, specifier }) => !files.includes(path.posix.join(path.posix.dirname(file), specifier)))
    expect({ missing, someChecked: relative.length > 100 }).toEqual({ missing: [], someChecked: true })
  })
})

describe('the installed package in a host app, from plain Node', () => {
  it('should build a Payload config with the plugin', () => {
    expect(report).toMatchObject({ collections: expect.arrayContaining(['users', 'consultations', 'consultation-images']) })
  })

  it('should resolve its ./client, ./rsc and ./types subpaths to shipped files', async () => {
    const resolved = Object.values(report.resolved ?? { error: report.error ?? 'nothing resolved' })
    const shipped = await Promise.all(resolved.map((file) => fs.access(file).then(() => path.relative(installed, file))))
    expect(shipped).toEqual(['dist/index.js', 'dist/exports/client.js', 'dist/exports/rsc.js', 'dist/exports/types.js'])
  })

  it('should decode a HEIC with the shipped worker', () => {
    expect({ error: report.error, heic: report.heic }).toEqual({ error: undefined, heic: { height: 128, width: 96 } })
  })

  it('should point the audit purge command at the shipped script', async () => {
    const [purge] = report.bin ?? []
    const scriptPath = purge?.scriptPath ?? String(report.error)
    await fs.access(scriptPath)
    expect({ key: purge?.key, script: path.relative(installed, scriptPath) }).toEqual({
      key: 'derma-images:purge-audit-events',
      script: 'dist/audit/purgeScript.js',
    })
  })
})
