import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SanitizedConfig } from 'payload'

import { REST_DELETE, REST_GET, REST_OPTIONS, REST_PATCH, REST_POST } from '@payloadcms/next/routes'
import http from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

type Handler = (req: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>

const toRequest = (req: IncomingMessage, signal: AbortSignal): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one)
    }
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; lib.dom does not know it yet.
    duplex: 'half',
    headers,
    method: req.method,
    signal,
  })
}

/**
 * A plain Node HTTP server in front of the app's real Next route handlers (what
 * app/(payload)/api/[...slug]/route.ts exports), for tests and benchmarks that need real sockets:
 * streamed request bodies, client disconnects, signals. Only `/api/...` is served.
 */
export const createApiServer = (config: SanitizedConfig): { inFlight: () => number } & http.Server => {
  const handlers: Record<string, Handler> = {
    DELETE: REST_DELETE(config),
    GET: REST_GET(config),
    OPTIONS: REST_OPTIONS(config),
    PATCH: REST_PATCH(config),
    POST: REST_POST(config),
  }
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const handler = handlers[req.method ?? '']
    if (!handler || !url.pathname.startsWith(`${config.routes.api}/`)) {
      res.writeHead(404).end()
      return
    }
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) {
        abort.abort()
      }
    })
    const slug = url.pathname.slice(config.routes.api.length + 1).split('/')
    const response = await handler(toRequest(req, abort.signal), { params: Promise.resolve({ slug }) })
    // A closing server (SIGTERM) tells keep-alive clients to go, so that it can drain and exit.
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...(server.listening ? {} : { Connection: 'close' }) })
    if (response.body) {
      await pipeline(Readable.fromWeb(response.body as never), res)
    } else {
      res.end()
    }
  }
  let inFlight = 0
  const server = http.createServer((req, res) => {
    inFlight += 1
    serve(req, res)
      .catch(() => {
        // A client that went away mid-response; the handler's own clean-up has run.
        res.destroy()
      })
      .finally(() => {
        inFlight -= 1
      })
  })
  /** Requests whose handler has not finished yet (the response fully sent or abandoned). */
  return Object.assign(server, { inFlight: () => inFlight })
}

/** Listens on the first free loopback port of 3400–3499 (the range this machine allows). */
export const listenOnFreePort = async (server: http.Server): Promise<number> => {
  for (let port = 3400; port < 3500; port += 1) {
    const listening = await new Promise<boolean>((resolve) => {
      const onError = () => {
        resolve(false)
      }
      server.once('error', onError)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError)
        resolve(true)
      })
    })
    if (listening) {
      return port
    }
  }
  throw new Error('no free port in 3400–3499')
}
