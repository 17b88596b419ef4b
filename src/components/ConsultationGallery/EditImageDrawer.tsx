'use client'

import { Button, Drawer, useModal, useTranslation } from '@payloadcms/ui'
import React, { useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { ClinicalFields, GalleryImage } from './api.js'

import { MetadataFields } from './MetadataFields.js'
import { ConsentRecord } from './MetadataFieldsConsent.js'

const baseClass = 'derma-edit-image'

type Props = {
  drawerSlug: string
  image: GalleryImage | undefined
  onSave: (image: GalleryImage, fields: ClinicalFields) => Promise<void>
}

const clinicalFields = (image: GalleryImage): ClinicalFields => ({
  acquisition: image.acquisition ?? undefined,
  bodySite: image.bodySite ?? null,
  consentScopes: image.consentScopes ?? [],
  description: image.description ?? null,
  laterality: image.laterality ?? null,
  lesion: image.lesion ?? null,
  role: image.role ?? null,
})

type FormProps = { drawerSlug: string; image: GalleryImage; onSave: Props['onSave'] }

const EditImageForm = ({ drawerSlug, image, onSave }: FormProps) => {
  const { t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { closeModal } = useModal()
  const [value, setValue] = useState<ClinicalFields>(() => clinicalFields(image))
  const [isSaving, setIsSaving] = useState(false)
  const save = async () => {
    setIsSaving(true)
    try {
      await onSave(image, value)
      closeModal(drawerSlug)
    } finally {
      setIsSaving(false)
    }
  }
  return (
    <div className={`${baseClass}__content`}>
      <img alt="" className={`${baseClass}__thumbnail`} height={150} src={image.sizes?.thumbnail?.url ?? undefined} width={150} />
      <MetadataFields idPrefix={`derma-edit-${image.id}`} onChange={setValue} value={value} />
      <ConsentRecord image={image} />
      <div className={`${baseClass}__buttons`}>
        <Button buttonStyle="primary" disabled={isSaving} margin={false} onClick={() => void save()}>
          {t('plugin-derma-images:save')}
        </Button>
        <Button buttonStyle="secondary" margin={false} onClick={() => { closeModal(drawerSlug); }}>
          {t('plugin-derma-images:cancel')}
        </Button>
      </div>
    </div>
  )
}

/** A drawer with the image's clinical fields; saving sends only those (the API refuses the rest). */
export const EditImageDrawer = ({ drawerSlug, image, onSave }: Props) => {
  const { t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  return (
    <Drawer className={baseClass} slug={drawerSlug} title={t('plugin-derma-images:editTitle')}>
      {image ? <EditImageForm drawerSlug={drawerSlug} image={image} key={image.id} onSave={onSave} /> : null}
    </Drawer>
  )
}
