import type http from 'node:http'

import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Nginx } from '../../bench/lib/nginx.js'
import type { ClinicContext } from '../helpers/setup.js'

import { nginxTemplate, renderServerBlocks, startNginx } from '../../bench/lib/nginx.js'
import { createApiServer, listenOnFreePort } from '../helpers/httpServer.js'
import { makeJpeg } from '../helpers/images.js'
import { photoForm, startClinic } from '../helpers/setup.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

describe('docs/nginx.conf.example, the README’s deployment example', () => {
  it('should be in the README word for word', async () => {
    const [readme, example] = await Promise.all([fs.readFile(path.join(repoRoot, 'README.md'), 'utf8'), fs.readFile(nginxTemplate, 'utf8')])
    expect(readme.includes(`\`\`\`nginx\n${example}\`\`\``)).toBe(true)
  })

  it('should be run by the load benchmark with only its listen line and upstream address changed', async () => {
    const example = await fs.readFile(nginxTemplate, 'utf8')
    const rendered = renderServerBlocks(example, 4567, '127.0.0.1:9999')
    const changed = rendered.split('\n').filter((line, n) => line !== example.split('\n')[n])
    expect(changed.map((line) => line.trim())).toEqual(['server 127.0.0.1:9999;          # next start (npm start)', 'listen 127.0.0.1:4567;'])
  })
})

const hasNginx = (() => {
  try {
    execFileSync(process.env.NGINX_PATH ?? 'nginx', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

// Debian's nginx (`apt-get install -y nginx`, as .ci/run does); without it this part is reported
// as skipped, except in CI, where it must run.
;(hasNginx || process.env.CI === 'true' ? describe : describe.skip)('the app behind nginx with the example config', () => {
  let ctx: ClinicContext
  let server: http.Server
  let nginx: Nginx
  let api: string

  beforeAll(async () => {
    ctx = await startClinic('nginx_example')
    server = createApiServer(ctx.payload.config)
    const port = await listenOnFreePort(server)
    nginx = await startNginx(`127.0.0.1:${String(port)}`)
    api = `${nginx.origin}/api`
  })

  afterAll(async () => {
    await nginx.stop()
    await new Promise((resolve) => server.close(resolve))
    await ctx.cleanup()
  })

  it('should store a doctor’s photo through it (201)', async () => {
    const res = await fetch(`${api}/consultations/${String(ctx.clinic.consultations.own)}/images`, {
      body: photoForm(await makeJpeg({ height: 600, seed: 2, width: 800 }), { acquisition: 'clinical-overview' }),
      headers: { Authorization: `JWT ${ctx.clinic.doctor.token}` },
      method: 'POST',
    })
    expect(res.status).toBe(201)
  })

  it('should refuse an anonymous 50 MB post with nginx’s own 413 in the plugin’s error shape, before Node sees it', async () => {
    let reachedNode = 0
    const count = () => {
      reachedNode += 1
    }
    server.on('request', count)
    const res = await fetch(`${api}/consultation-images`, { body: new Uint8Array(50 * 1024 * 1024), headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, method: 'POST' })
    server.off('request', count)
    expect({ body: await res.json(), reachedNode, status: res.status }).toEqual({
      body: { errors: [{ message: 'The upload is larger than the server accepts (11 MB).' }] },
      reachedNode: 0,
      status: 413,
    })
  })
})
