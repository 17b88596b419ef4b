'use client'

import type { UIFieldClientProps } from 'payload'

import {
  Button,
  ConfirmationModal,
  ShimmerEffect,
  toast,
  useAuth,
  useConfig,
  useDocumentInfo,
  useDrawerSlug,
  useModal,
  useTranslation,
} from '@payloadcms/ui'
import React, { useCallback, useMemo, useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { ShareLinksOptions } from '../ShareLinks/index.client.js'
import type { ClinicalFields, GalleryApi, GalleryImage, ImagePage } from './api.js'

import { ShareLinksButton } from '../ShareLinks/index.client.js'
import { deleteImage, updateImage, zipURL } from './api.js'
import { CompareDrawer } from './CompareDrawer.js'
import { LesionOptionsProvider } from './lesionOptions.js'
import { EditImageDrawer } from './EditImageDrawer.js'
import { ImageLightbox } from './ImageLightbox.js'
import { announceImagesChanged } from './imagesChanged.js'
import { ImageTile } from './ImageTile.js'
import { Uploader } from './Uploader.js'
import { useGalleryImages } from './useGalleryImages.js'
import './index.scss'

const baseClass = 'derma-gallery'

export type ConsultationGalleryProps = {
  consultationsSlug: string
  imagesSlug: string
  /** The first page, read on the server (see index.tsx); without it the gallery fetches it. */
  initialPage?: ImagePage
  /** The lesions collection: its patient's lesions fill the metadata forms' lesion picker. */
  lesionsSlug?: string
  maxFileSize: number
  /** The share-links collection and its options: the "Share for second opinion" button. */
  shareLinks?: ShareLinksOptions
} & Partial<UIFieldClientProps>

/**
 * The consultation's photos in its edit view: counter, uploader, thumbnail grid, lightbox,
 * compare, and (for those who may change the consultation) edit, primary and delete actions.
 */
export const ConsultationGallery = ({ consultationsSlug, imagesSlug, initialPage, lesionsSlug, maxFileSize, shareLinks }: ConsultationGalleryProps) => {
  const { t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const { permissions } = useAuth()
  const { docPermissions, id } = useDocumentInfo()
  const { openModal } = useModal()
  const editSlug = useDrawerSlug('derma-edit-image')
  const compareSlug = useDrawerSlug('derma-compare')
  const deleteSlug = 'derma-delete-image'
  const target = useMemo<GalleryApi>(
    () => ({ api: `${config.serverURL}${config.routes.api}`, consultations: consultationsSlug, images: imagesSlug, lesions: lesionsSlug }),
    [config.routes.api, config.serverURL, consultationsSlug, imagesSlug, lesionsSlug],
  )
  const { error, images, isLoading, loadMore, reload, totalDocs } = useGalleryImages(target, id, initialPage)
  const [lightboxIndex, setLightboxIndex] = useState(-1)
  const [selected, setSelected] = useState<number[]>([])
  // A new edit starts from the stored values, not from an earlier, cancelled edit.
  const [editing, setEditing] = useState<{ image: GalleryImage; round: number }>()
  const [deleting, setDeleting] = useState<GalleryImage>()
  const [showUploader, setShowUploader] = useState(false)
  // What the UI offers, the API also enforces: the consultation's update right and the images' create right.
  const canChange = Boolean(docPermissions?.update && permissions?.collections?.[imagesSlug]?.create)

  const run = useCallback(
    async (action: () => Promise<unknown>, success: string) => {
      try {
        await action()
        toast.success(success)
      } catch (failure) {
        toast.error(failure instanceof Error ? failure.message : String(failure))
      }
      if (id !== undefined) {
        announceImagesChanged(id)
      }
      await reload()
    },
    [id, reload],
  )
  const onUploaded = useCallback(() => {
    if (id !== undefined) {
      announceImagesChanged(id)
    }
    void reload()
  }, [id, reload])
  const toggleSelect = (image: GalleryImage) => { setSelected((current) =>
      current.includes(image.id) ? current.filter((id) => id !== image.id) : [...current, image.id].slice(-2),
    ); }
  const compared = images.filter((image) => selected.includes(image.id))

  if (id === undefined) {
    return <p className={`${baseClass}__empty`}>{t('plugin-derma-images:saveFirst')}</p>
  }
  return (
    <LesionOptionsProvider target={target}>
    <div className={baseClass}>
      <div className={`${baseClass}__header`}>
        <h3 className={`${baseClass}__count`}>{t('plugin-derma-images:count', { count: totalDocs })}</h3>
        <div className={`${baseClass}__toolbar`}>
          {canChange ? (
            <Button buttonStyle="primary" icon="plus" margin={false} onClick={() => { setShowUploader((shown) => !shown); }} size="small">
              {t('plugin-derma-images:addImages')}
            </Button>
          ) : null}
          <Button
            buttonStyle="secondary"
            disabled={compared.length !== 2}
            margin={false}
            onClick={() => { openModal(compareSlug); }}
            size="small"
            tooltip={compared.length === 2 ? undefined : t('plugin-derma-images:compareHint')}
          >
            {t('plugin-derma-images:compareSelected')}
          </Button>
          {totalDocs > 0 ? (
            <Button buttonStyle="secondary" el="anchor" extraButtonProps={{ download: '' }} margin={false} size="small" url={zipURL(target, id)}>
              {t('plugin-derma-images:downloadAll')}
            </Button>
          ) : null}
          {canChange && shareLinks ? <ShareLinksButton kind="consultation" options={shareLinks} /> : null}
        </div>
      </div>
      {canChange && showUploader ? (
        <Uploader consultation={id} maxFileSize={maxFileSize} onUploaded={onUploaded} target={target} />
      ) : null}
      {error ? <p className={`${baseClass}__error`}>{`${t('plugin-derma-images:loadError')} ${error}`}</p> : null}
      {isLoading && images.length === 0 ? (
        <ul aria-busy="true" className={`${baseClass}__grid`}>
          {Array.from({ length: 6 }, (_, index) => (
            <li key={index}>
              <ShimmerEffect height="300px" />
            </li>
          ))}
        </ul>
      ) : null}
      {!isLoading && !error && images.length === 0 ? (
        <p className={`${baseClass}__empty`}>
          {t(canChange ? 'plugin-derma-images:emptyHint' : 'plugin-derma-images:emptyHintReadOnly')}
        </p>
      ) : null}
      {images.length > 0 ? (
        <ul className={`${baseClass}__grid`}>
          {images.map((image, index) => (
            <ImageTile
              canChange={canChange}
              image={image}
              isSelected={selected.includes(image.id)}
              key={image.id}
              onDelete={() => {
                setDeleting(image)
                openModal(deleteSlug)
              }}
              onEdit={() => {
                setEditing((previous) => ({ image, round: (previous?.round ?? 0) + 1 }))
                openModal(editSlug)
              }}
              onOpen={() => { setLightboxIndex(index); }}
              onSetPrimary={() =>
                void run(() => updateImage(target, image.id, { isPrimary: true }), t('plugin-derma-images:primaryChanged'))
              }
              onToggleSelect={() => { toggleSelect(image); }}
            />
          ))}
        </ul>
      ) : null}
      {images.length < totalDocs ? (
        <Button buttonStyle="secondary" disabled={isLoading} onClick={() => void loadMore()}>
          {t('plugin-derma-images:loadMore', { count: totalDocs - images.length })}
        </Button>
      ) : null}
      <ImageLightbox images={images} index={lightboxIndex} onClose={() => { setLightboxIndex(-1); }} onView={setLightboxIndex} />
      <CompareDrawer drawerSlug={compareSlug} images={compared} />
      {canChange ? (
        <>
          <EditImageDrawer
            drawerSlug={editSlug}
            image={editing?.image}
            key={editing?.round ?? 0}
            onSave={(image: GalleryImage, fields: ClinicalFields) =>
              run(() => updateImage(target, image.id, fields), t('plugin-derma-images:saved'))
            }
          />
          <ConfirmationModal
            body={t('plugin-derma-images:deleteConfirm')}
            confirmLabel={t('plugin-derma-images:delete')}
            heading={t('plugin-derma-images:deleteTitle')}
            modalSlug={deleteSlug}
            onConfirm={async () => {
              if (deleting) {
                setSelected((current) => current.filter((selectedId) => selectedId !== deleting.id))
                await run(() => deleteImage(target, deleting.id), t('plugin-derma-images:deleted'))
              }
            }}
          />
        </>
      ) : null}
    </div>
    </LesionOptionsProvider>
  )
}
