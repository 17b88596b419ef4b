'use client'

import type { FileRejection } from 'react-dropzone'

import { Button, toast, useTranslation } from '@payloadcms/ui'
import React, { useCallback, useEffect, useRef, useState } from 'react'
import { useDropzone } from 'react-dropzone'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { ClinicalFields, GalleryApi, GalleryImage, UploadHandle } from './api.js'

import { defaultConsentScopes } from '../../vocabulary/consent.js'
import { newIdempotencyKey, uploadImage } from './api.js'
import { formatBytes } from './labels.js'
import { UploadItem, type UploadEntry } from './UploadItem.js'

const baseClass = 'derma-uploader'

/** What the browse dialog offers and the dropzone accepts; HEIC often arrives with no MIME type. */
const accept: Record<string, string[]> = {
  'image/heic': ['.heic'],
  'image/heif': ['.heif'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
}

const isHeic = (file: File): boolean => /^image\/hei[cf]$/.test(file.type) || /\.hei[cf]$/i.test(file.name)

type Props = {
  consultation: number | string
  maxFileSize: number
  onUploaded: (image: GalleryImage) => void
  target: GalleryApi
}

let nextKey = 0

/** Drag-and-drop or browse, a metadata form and a real progress bar per file, cancel and retry. */
export const Uploader = ({ consultation, maxFileSize, onUploaded, target }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const [entries, setEntries] = useState<UploadEntry[]>([])
  const handles = useRef(new Map<number, UploadHandle>())
  const previews = useRef(new Set<string>())

  const patch = useCallback((key: number, change: Partial<UploadEntry>) => {
    setEntries((current) => current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)))
  }, [])

  useEffect(() => {
    const urls = previews.current
    const inFlight = handles.current
    return () => {
      urls.forEach((url) => { URL.revokeObjectURL(url); })
      inFlight.forEach((handle) => { handle.abort(); })
    }
  }, [])

  const onDrop = useCallback(
    (accepted: File[], rejected: FileRejection[]) => {
      for (const { file, errors } of rejected) {
        const tooLarge = errors.some((error) => error.code === 'file-too-large')
        toast.error(
          tooLarge
            ? t('plugin-derma-images:errorFileTooLarge', {
                max: formatBytes(maxFileSize, i18n.language),
                name: file.name,
                size: formatBytes(file.size, i18n.language),
              })
            : t('plugin-derma-images:errorFileType', { name: file.name }),
        )
      }
      const added = accepted.map((file): UploadEntry => {
        const previewURL = isHeic(file) ? undefined : URL.createObjectURL(file)
        if (previewURL) {
          previews.current.add(previewURL)
        }
        return {
          file,
          idempotencyKey: newIdempotencyKey(),
          key: nextKey++,
          metadata: { acquisition: 'clinical-overview', consentScopes: [...defaultConsentScopes] },
          previewURL,
          progress: 0,
          status: 'queued',
        }
      })
      setEntries((current) => [...current, ...added])
    },
    [i18n.language, maxFileSize, t],
  )

  const { getInputProps, getRootProps, isDragActive, open } = useDropzone({
    accept,
    maxSize: maxFileSize,
    multiple: true,
    noClick: true,
    onDrop,
  })

  const start = useCallback(
    async (entry: UploadEntry): Promise<boolean> => {
      patch(entry.key, { error: undefined, progress: 0, status: 'uploading' })
      const handle = uploadImage(target, consultation, entry.file, entry.metadata, entry.idempotencyKey, (progress) => { patch(entry.key, { progress }); },
      )
      handles.current.set(entry.key, handle)
      try {
        const image = await handle.done
        patch(entry.key, { progress: 1, status: 'done' })
        onUploaded(image)
        return true
      } catch (error) {
        const cancelled = error instanceof DOMException && error.name === 'AbortError'
        const message = error instanceof Error ? error.message : String(error)
        patch(entry.key, cancelled ? { status: 'cancelled' } : { error: message, status: 'failed' })
        if (!cancelled) {
          toast.error(`${entry.file.name}: ${message}`)
        }
        return false
      } finally {
        handles.current.delete(entry.key)
      }
    },
    [consultation, onUploaded, patch, target],
  )

  const uploadAll = useCallback(async () => {
    let uploaded = 0
    // One at a time: each file gets the server's full attention and its own honest progress bar.
    for (const entry of entries.filter((candidate) => candidate.status === 'queued')) {
      uploaded += (await start(entry)) ? 1 : 0
    }
    if (uploaded > 0) {
      toast.success(t('plugin-derma-images:uploaded', { count: uploaded }))
    }
  }, [entries, start, t])

  const remove = useCallback((entry: UploadEntry) => {
    if (entry.previewURL) {
      URL.revokeObjectURL(entry.previewURL)
      previews.current.delete(entry.previewURL)
    }
    setEntries((current) => current.filter((candidate) => candidate.key !== entry.key))
  }, [])

  const queued = entries.filter((entry) => entry.status === 'queued').length
  const busy = entries.some((entry) => entry.status === 'uploading')
  return (
    <div className={baseClass}>
      <div {...getRootProps({ className: `${baseClass}__dropzone${isDragActive ? ` ${baseClass}__dropzone--active` : ''}` })}>
        <input {...getInputProps({ 'aria-label': t('plugin-derma-images:addImages') })} />
        {isDragActive ? (
          <p>{t('plugin-derma-images:dropHere')}</p>
        ) : (
          <p>
            {t('plugin-derma-images:dropzone')}{' '}
            <Button buttonStyle="pill" margin={false} onClick={open} size="small">
              {t('plugin-derma-images:dropzoneBrowse')}
            </Button>
          </p>
        )}
        <p className={`${baseClass}__hint`}>
          {t('plugin-derma-images:dropzoneHint', { size: formatBytes(maxFileSize, i18n.language) })}
        </p>
      </div>
      {entries.length > 0 ? (
        <ul className={`${baseClass}__list`}>
          {entries.map((entry) => (
            <UploadItem
              entry={entry}
              key={entry.key}
              onCancel={() => handles.current.get(entry.key)?.abort()}
              onChange={(metadata: ClinicalFields) => { patch(entry.key, { metadata }); }}
              onRemove={() => { remove(entry); }}
              onRetry={() => void start(entry)}
            />
          ))}
        </ul>
      ) : null}
      {queued > 0 ? (
        <Button buttonStyle="primary" disabled={busy} margin={false} onClick={() => void uploadAll()}>
          {t('plugin-derma-images:uploadAll', { count: queued })}
        </Button>
      ) : null}
    </div>
  )
}
