'use client'

import type { OptionObject } from 'payload'

import { useFormFields } from '@payloadcms/ui'
import React, { createContext, use, useEffect, useState } from 'react'

import type { GalleryApi } from './api.js'

import { toID } from '../../access/roles.js'

/** The consultation's patient's lesions, as options of the metadata forms' lesion picker. */
const LesionOptionsContext = createContext<OptionObject[]>([])

export const useLesionOptions = (): OptionObject[] => use(LesionOptionsContext)

type Props = { children: React.ReactNode; target: GalleryApi }

/**
 * Reads the lesions of the patient in the consultation's form (the API filters them by the
 * viewer's access too) and hands them to every metadata form below.
 */
export const LesionOptionsProvider = ({ children, target }: Props) => {
  const patient = toID(useFormFields(([fields]) => fields.patient?.value))
  const [options, setOptions] = useState<OptionObject[]>([])
  useEffect(() => {
    if (patient === undefined || !target.lesions) {
      return
    }
    const controller = new AbortController()
    const query = `where[patient][equals]=${encodeURIComponent(String(patient))}&limit=100&depth=0&sort=label`
    void fetch(`${target.api}/${target.lesions}?${query}`, { credentials: 'include', signal: controller.signal })
      .then(async (response) => (response.ok ? ((await response.json()) as { docs: { id: number; label: string }[] }) : { docs: [] }))
      .then(({ docs }) => { setOptions(docs.map((doc) => ({ label: doc.label, value: String(doc.id) }))) })
      .catch(() => undefined)
    return () => { controller.abort() }
  }, [patient, target])
  return <LesionOptionsContext value={patient === undefined ? [] : options}>{children}</LesionOptionsContext>
}
