/**
 * `tsx scripts/pack-manifest.ts use-dist | restore | refuse-directory-publish`: the package.json
 * that `npm pack` ships.
 *
 * In the repository, `exports`, `main` and `types` point at `src/*.ts` (the demo app and the tests
 * run the source); the package ships only `dist/`. pnpm and Yarn publish `publishConfig`'s
 * `exports`/`main`/`types` in their place, npm does not (it packs package.json as it is on disk:
 * npm/cli#7586). So `prepack` runs `use-dist`: it keeps the file as it was in
 * `package.json.prepack` and writes package.json with those fields taken from `publishConfig`;
 * `postpack` runs `restore`, which moves the kept file back.
 *
 * `npm publish` from the directory would send the registry the manifest it reads after packing
 * (the restored one, pointing at `src/`) with a tarball whose manifest points at `dist/`, so
 * `prepublishOnly` (which npm runs for directory publishes only) runs `refuse-directory-publish`:
 * publish the tarball of `npm pack` instead, whose manifest npm reads from the tarball itself.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifestPath = path.join(repoRoot, 'package.json')
const keptPath = path.join(repoRoot, 'package.json.prepack')

/** The manifest fields that `publishConfig` replaces in the packed package.json. */
const publishedFields = ['exports', 'main', 'types'] as const

type Manifest = { [field: string]: unknown; publishConfig?: Record<string, unknown> }

const exists = (file: string): Promise<boolean> =>
  fs.access(file).then(
    () => true,
    () => false,
  )

/** The packed manifest: `publishConfig`'s `exports`, `main` and `types` in place of the repository's. */
const toPublishedManifest = (manifest: Manifest): Manifest => {
  const { publishConfig = {}, ...rest } = manifest
  const published: Manifest = { ...rest }
  for (const field of publishedFields) {
    if (!(field in publishConfig)) {
      throw new Error(`package.json: publishConfig.${field} is missing (the packed package.json needs it)`)
    }
    published[field] = publishConfig[field]
  }
  // npm reads what is left of publishConfig as npm configuration (and warns about these fields).
  const config = Object.entries(publishConfig).filter(([key]) => !(publishedFields as readonly string[]).includes(key))
  return config.length > 0 ? { ...published, publishConfig: Object.fromEntries(config) } : published
}

const applyPublishedFields = async (): Promise<void> => {
  if (await exists(keptPath)) {
    throw new Error(
      'package.json.prepack exists: an earlier `npm pack` stopped before its postpack. It holds the repository\'s package.json: ' +
        'check it and move it over package.json (or delete it if package.json is the repository\'s), then pack again.',
    )
  }
  const text = await fs.readFile(manifestPath, 'utf8')
  const published = toPublishedManifest(JSON.parse(text) as Manifest)
  await fs.writeFile(keptPath, text)
  await fs.writeFile(manifestPath, `${JSON.stringify(published, null, 2)}\n`)
}

const restore = async (): Promise<void> => {
  if (await exists(keptPath)) {
    await fs.rename(keptPath, manifestPath)
  }
}

const refuseDirectoryPublish = (): never => {
  console.error(
    'payload-derma-images: do not publish the directory (npm would send the registry a manifest pointing at src/, which is not packed). ' +
      'Run `npm pack`, then `npm publish ./payload-derma-images-<version>.tgz`.',
  )
  process.exit(1)
}

const command = process.argv[2]
if (command === 'use-dist') {
  await applyPublishedFields()
} else if (command === 'restore') {
  await restore()
} else if (command === 'refuse-directory-publish') {
  refuseDirectoryPublish()
} else {
  throw new Error(`usage: tsx scripts/pack-manifest.ts use-dist | restore | refuse-directory-publish (got ${String(command)})`)
}
