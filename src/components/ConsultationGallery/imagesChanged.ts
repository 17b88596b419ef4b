'use client'

import { useEffect, useRef } from 'react'

type Listener = (consultation: string) => void

/**
 * The edit view's components that show a consultation's images (the gallery in its tab, the
 * summary in the sidebar) are separate field components with no common provider of the plugin's:
 * the gallery announces each change here and the others read again. A refresh of the whole page
 * (`router.refresh()`) would replace the form's state and lose the user's unsaved edits.
 */
const listeners = new Set<Listener>()

/** Tells every subscriber that the consultation's images changed (uploaded, edited, deleted). */
export const announceImagesChanged = (consultation: number | string): void => {
  for (const listener of listeners) {
    listener(String(consultation))
  }
}

/** Calls `onChange` after each announced change of the consultation's images. */
export const useImagesChanged = (consultation: number | string | undefined, onChange: () => void): void => {
  const latest = useRef(onChange)
  useEffect(() => {
    latest.current = onChange
  })
  useEffect(() => {
    if (consultation === undefined) {
      return
    }
    const listener: Listener = (changed) => {
      if (changed === String(consultation)) {
        latest.current()
      }
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [consultation])
}
