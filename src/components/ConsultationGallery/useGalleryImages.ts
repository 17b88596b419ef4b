'use client'

import { useCallback, useEffect, useRef, useState } from 'react'

import type { GalleryApi, GalleryImage } from './api.js'

import { listImages } from './api.js'

/** Images per request: one screen of thumbnails and a bit more. */
const pageSize = 48

type State = { error?: string; images: GalleryImage[]; isLoading: boolean; pages: number; totalDocs: number }

/**
 * The consultation's images through the plugin's list endpoint (primary first, then newest),
 * a page at a time; `reload` fetches again every page shown so far.
 */
export const useGalleryImages = (target: GalleryApi, consultation: number | string | undefined) => {
  const [state, setState] = useState<State>({ images: [], isLoading: consultation !== undefined, pages: 0, totalDocs: 0 })
  const generation = useRef(0)

  const load = useCallback(
    async (pages: number) => {
      if (consultation === undefined) {
        return
      }
      const current = ++generation.current
      setState((previous) => ({ ...previous, error: undefined, isLoading: true }))
      try {
        const results = []
        for (let page = 1; page <= pages; page++) {
          const result = await listImages(target, consultation, page, pageSize)
          results.push(result)
          if (page >= result.totalPages) {
            break
          }
        }
        if (current === generation.current) {
          setState({
            images: results.flatMap((result) => result.docs),
            isLoading: false,
            pages: results.length,
            totalDocs: results.at(-1)?.totalDocs ?? 0,
          })
        }
      } catch (error) {
        if (current === generation.current) {
          setState((previous) => ({ ...previous, error: error instanceof Error ? error.message : String(error), isLoading: false }))
        }
      }
    },
    [consultation, target],
  )

  useEffect(() => {
    void load(1)
  }, [load])

  return {
    ...state,
    loadMore: () => load(state.pages + 1),
    reload: () => load(Math.max(1, state.pages)),
  }
}
