import type { RequestContext } from 'payload'

/** The plugin's namespaced `req.context` entry, used to guard re-entry between its own hooks. */
export type DermaImagesContext = {
  /** Set while a consultation is being deleted: its images go with it, no flag upkeep needed. */
  deletingConsultation?: number | string
}

export const getDermaContext = (context: RequestContext): DermaImagesContext =>
  (context.dermaImages as DermaImagesContext | undefined) ?? {}

export const withDermaContext = (
  context: RequestContext,
  patch: DermaImagesContext,
): RequestContext => ({ ...context, dermaImages: { ...getDermaContext(context), ...patch } })
