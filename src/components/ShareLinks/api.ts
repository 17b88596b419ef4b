/** What the share drawer needs to reach the API: the base URL and the slugs. */
export type ShareTarget = {
  api: string
  imagesSlug: string
  kind: 'consultation' | 'lesion'
  shareLinksSlug: string
  targetID: number | string
}

export type ActiveShareLink = { expiresAt: string; hideIdentity?: boolean | null; id: number; note?: null | string }

export type CreatedShareLink = ActiveShareLink & { token: string; url: string }

/** The server's own message from the error contract, else the status. */
const failure = async (response: Response): Promise<Error> => {
  const body = (await response.json().catch(() => undefined)) as { errors?: { data?: { errors?: { message: string }[] }; message: string }[] } | undefined
  const first = body?.errors?.[0]
  return new Error(first?.data?.errors?.[0]?.message ?? first?.message ?? `HTTP ${response.status}`)
}

const request = async <T>(url: string, init?: { body: string; method: 'PATCH' | 'POST' }): Promise<T> => {
  const response = await fetch(url, { credentials: 'include', ...init, headers: { 'Content-Type': 'application/json' } })
  if (!response.ok) {
    throw await failure(response)
  }
  return (await response.json()) as T
}

const targetQuery = (target: ShareTarget, field: string) => `where[${field}][equals]=${encodeURIComponent(String(target.targetID))}`

/** How many images of the target a link would show: those consented for second opinion that the user sees. */
export const countConsented = async (target: ShareTarget): Promise<number> => {
  const url = `${target.api}/${target.imagesSlug}/count?${targetQuery(target, target.kind)}&where[consentScopes][in]=second-opinion`
  return (await request<{ totalDocs: number }>(url)).totalDocs
}

/** The target's links that still open: not revoked, not expired, newest first. */
export const listActiveLinks = async (target: ShareTarget): Promise<ActiveShareLink[]> => {
  const now = encodeURIComponent(new Date().toISOString())
  const url =
    `${target.api}/${target.shareLinksSlug}?${targetQuery(target, target.kind)}` +
    `&where[revokedAt][exists]=false&where[expiresAt][greater_than]=${now}&sort=-createdAt&depth=0&limit=50`
  return (await request<{ docs: ActiveShareLink[] }>(url)).docs
}

export const createLink = async (
  target: ShareTarget,
  fields: { days: number; hideIdentity: boolean; note: string },
): Promise<CreatedShareLink> => {
  const body = {
    [target.kind]: target.targetID,
    expiresAt: new Date(Date.now() + fields.days * 24 * 60 * 60 * 1000).toISOString(),
    hideIdentity: fields.hideIdentity,
    ...(fields.note.trim() ? { note: fields.note.trim() } : {}),
  }
  return (await request<{ doc: CreatedShareLink }>(`${target.api}/${target.shareLinksSlug}`, { body: JSON.stringify(body), method: 'POST' })).doc
}

/** Revocation: the server records its own time and the user, whatever value is sent. */
export const revokeLink = async (target: ShareTarget, id: number): Promise<void> => {
  await request(`${target.api}/${target.shareLinksSlug}/${String(id)}`, { body: JSON.stringify({ revokedAt: new Date().toISOString() }), method: 'PATCH' })
}
