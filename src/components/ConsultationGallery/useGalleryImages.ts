'use client'

import { useCallback, useEffect, useRef, useState } from 'react'

import type { GalleryApi, GalleryImage, ImagePage } from './api.js'

import { listImages } from './api.js'
import { firstPageSize } from './pageSize.js'

const pageSize = firstPageSize

type State = { error?: string; images: GalleryImage[]; isLoading: boolean; pages: number; totalDocs: number }

/**
 * The consultation's images through the plugin's list endpoint (primary first, then newest),
 * a page at a time, starting from the server-rendered first page when there is one; `reload`
 * fetches again every page shown so far.
 */
export const useGalleryImages = (
  target: GalleryApi,
  consultation: number | string | undefined,
  initialPage: ImagePage | undefined,
) => {
  const [state, setState] = useState<State>(() =>
    initialPage
      ? { images: initialPage.docs, isLoading: false, pages: 1, totalDocs: initialPage.totalDocs }
      : { images: [], isLoading: consultation !== undefined, pages: 0, totalDocs: 0 },
  )
  const hasInitialPage = useRef(initialPage !== undefined)
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
    // Rendered on the server with its first page: nothing to fetch until something changes.
    if (hasInitialPage.current) {
      hasInitialPage.current = false
      return
    }
    void load(1)
  }, [load])

  return {
    ...state,
    loadMore: () => load(state.pages + 1),
    reload: () => load(Math.max(1, state.pages)),
  }
}
