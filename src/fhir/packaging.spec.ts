import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** The FHIR export's source, as a host installing the package type-checks it (tests aside). */
const fhirSources = [
  ...fs.readdirSync(path.join(root, 'src/fhir')).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts')).map((name) => `src/fhir/${name}`),
  'src/endpoints/fhir.ts',
  'src/operations/exportFhir.ts',
  'src/openapi/fhirSchemas.ts',
]

/** The packages a file imports, types included (`@scope/name` or `name`; never `node:` or relative). */
const packagesOf = (file: string): string[] =>
  [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/from '([^.'][^']*)'/g)]
    .map((match) => match[1] ?? '')
    .filter((specifier) => !specifier.startsWith('node:'))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'))

describe('the FHIR export as installed', () => {
  it('should import, types included, only packages an installation brings (dependencies or peers)', () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
    const used = [...new Set(fhirSources.flatMap(packagesOf))].sort()
    expect([used.includes('@medplum/fhirtypes'), used.filter((name) => !declared.has(name))]).toEqual([true, []])
  })
})
