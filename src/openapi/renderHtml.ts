import { createHash } from 'node:crypto'

import type { JsonSchema, MediaType, OpenApiDocument, Operation, Reference, ResponseObject } from './types.js'

const css = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1f;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e6ea;background:#141416}a{color:#8ab4ff}pre,code{background:#222227!important}}
header,main,nav{max-width:70rem;margin:0 auto;padding:0 1.5rem}
header{padding-top:1.5rem}h1 small{font-weight:400;font-size:.6em;opacity:.7}
nav>ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(24rem,1fr));gap:.5rem 2rem;padding:0}
nav ul{list-style:none}nav ul ul{padding-left:.5rem}section{border-top:1px solid #8884;padding:.5rem 0 1rem}
code,pre{font:13px/1.4 ui-monospace,monospace;background:#f3f3f6;border-radius:4px}code{padding:0 .25em}
pre{padding:.75rem;overflow:auto;max-height:28rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #8883}
.method{display:inline-block;min-width:4.5em;font:700 12px ui-monospace,monospace;text-transform:uppercase}
.get{color:#1a7f37}.post{color:#0a58ca}.patch{color:#a15c00}.delete{color:#c0262d}
.security{font-size:.85em;opacity:.8}details{margin:.25rem 0}summary{cursor:pointer}
`

/** The page runs no script and loads nothing; its one inline style is allowed by its hash. */
export const docsContentSecurityPolicy = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const entities: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' }

const escape = (text: string): string => text.replace(/["&'<>]/g, (char) => entities[char] ?? char)

/** Escaped text with `code` spans, the only markup the descriptions use. */
const prose = (text: string | undefined): string => escape(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>')

const anchor = (prefix: string, name: string): string => `${prefix}-${name.replace(/[^\w-]/g, '_')}`

/** A schema as indented JSON, its `$ref`s linked to the schemas at the end of the page. */
const schemaBlock = (schema: JsonSchema | undefined): string =>
  `<pre>${escape(JSON.stringify(schema ?? {}, null, 2)).replace(
    /&quot;#\/components\/schemas\/([\w.-]+)&quot;/g,
    (_match, name: string) => `<a href="#${anchor('schema', name)}">&quot;#/components/schemas/${name}&quot;</a>`,
  )}</pre>`

const contentBlocks = (content: Record<string, MediaType> | undefined): string =>
  Object.entries(content ?? {})
    .map(([type, media]) => `<details><summary><code>${escape(type)}</code></summary>${schemaBlock(media.schema)}</details>`)
    .join('')

const securityNote = (security: Operation['security']): string =>
  security === undefined ? 'Login required' : security.length === 0 ? 'No login' : 'Login optional'

const resolveResponse = (doc: OpenApiDocument, response: Reference | ResponseObject): ResponseObject =>
  '$ref' in response ? (doc.components.responses[response.$ref.split('/').pop() ?? ''] ?? { description: '' }) : response

const operationSection = (doc: OpenApiDocument, path: string, method: string, operation: Operation): string => {
  const parameters = (operation.parameters ?? [])
    .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td><code>${escape(JSON.stringify(p.schema))}</code></td><td>${prose(p.description)}</td></tr>`)
    .join('')
  const responses = Object.entries(operation.responses)
    .map(([status, response]) => {
      const resolved = resolveResponse(doc, response)
      return `<tr><td><strong>${escape(status)}</strong></td><td>${prose(resolved.description)}${contentBlocks(resolved.content)}</td></tr>`
    })
    .join('')
  return `<section id="${anchor('op', operation.operationId)}">
<h3><span class="method ${method}">${method}</span> <code>${escape(path)}</code></h3>
<p><strong>${prose(operation.summary)}</strong> <span class="security">${securityNote(operation.security)} · <code>${escape(operation.operationId)}</code></span></p>
<p>${prose(operation.description)}</p>
${parameters ? `<h4>Parameters</h4><table>${parameters}</table>` : ''}
${operation.requestBody ? `<h4>Request body</h4>${contentBlocks(operation.requestBody.content)}` : ''}
<h4>Responses</h4><table>${responses}</table>
</section>`
}

const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, operation, path })),
  )

/** The document as one static page: operations by tag, then the schemas they use. */
export const renderDocsPage = (doc: OpenApiDocument, jsonURL: string): string => {
  const operations = operationsOf(doc)
  const byTag = doc.tags.map((tag) => ({ tag, entries: operations.filter(({ operation }) => operation.tags.includes(tag.name)) }))
  const nav = byTag
    .map(({ entries, tag }) => `<li>${escape(tag.name)}<ul>${entries.map(({ method, operation, path }) => `<li><a href="#${anchor('op', operation.operationId)}"><span class="method ${method}">${method}</span> ${escape(path)}</a></li>`).join('')}</ul></li>`)
    .join('')
  const sections = byTag
    .map(({ entries, tag }) => `<h2>${escape(tag.name)}</h2><p>${prose(tag.description)}</p>${entries.map(({ method, operation, path }) => operationSection(doc, path, method, operation)).join('')}`)
    .join('')
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, schema]) => `<details id="${anchor('schema', name)}"><summary><code>${escape(name)}</code></summary>${schemaBlock(schema)}</details>`)
    .join('')
  const servers = doc.servers.map((server) => `<code>${escape(server.url)}</code>`).join(', ')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escape(doc.info.title)}</title><style>${css}</style></head>
<body><header><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)} · OpenAPI ${escape(doc.openapi)}</small></h1>
<p>${prose(doc.info.description)}</p>
<p>Base URL ${servers} · Authentication: <code>Authorization: JWT &lt;token&gt;</code> or the session cookie · <a href="${escape(jsonURL)}">OpenAPI document (JSON)</a></p></header>
<nav><ul>${nav}</ul></nav>
<main>${sections}<h2>Schemas</h2>${schemas}</main></body></html>`
}

/** The page for a visitor who is not logged in: where to log in, and nothing else. */
export const renderLoginPage = (loginURL: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title><style>${css}</style></head>
<body><header><h1>API documentation</h1><p>Log in to read it: <a href="${escape(loginURL)}">log in</a>, then come back to this page.</p></header></body></html>`
