'use client'

import { Button, useTranslation } from '@payloadcms/ui'
import React from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { ClinicalFields } from './api.js'

import { formatBytes } from './labels.js'
import { MetadataFields } from './MetadataFields.js'

const baseClass = 'derma-upload-item'

export type UploadEntry = {
  error?: string
  file: File
  /** Sent with every attempt of this file (see api.ts). */
  idempotencyKey: string
  key: number
  metadata: ClinicalFields
  /** An object URL of the file; none for HEIC, which browsers cannot display. */
  previewURL?: string
  /** 0 to 1, from the browser's upload progress events. */
  progress: number
  status: 'cancelled' | 'done' | 'failed' | 'queued' | 'uploading'
}

type Props = {
  entry: UploadEntry
  onCancel: () => void
  onChange: (metadata: ClinicalFields) => void
  onRemove: () => void
  onRetry: () => void
}

/** One file waiting for, going through or done with its upload. */
export const UploadItem = ({ entry, onCancel, onChange, onRemove, onRetry }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const percent = Math.round(entry.progress * 100)
  const status = {
    cancelled: t('plugin-derma-images:cancelled'),
    done: t('plugin-derma-images:done'),
    failed: t('plugin-derma-images:failed'),
    queued: t('plugin-derma-images:queued'),
    uploading: t('plugin-derma-images:uploading', { percent }),
  }[entry.status]
  return (
    <li className={`${baseClass} ${baseClass}--${entry.status}`} data-status={entry.status}>
      <div className={`${baseClass}__preview`}>
        {entry.previewURL ? (
          <img alt="" src={entry.previewURL} />
        ) : (
          <span className={`${baseClass}__placeholder`}>{t('plugin-derma-images:heicPlaceholder')}</span>
        )}
      </div>
      <div className={`${baseClass}__body`}>
        <p className={`${baseClass}__name`}>
          <strong>{entry.file.name}</strong> <span>{formatBytes(entry.file.size, i18n.language)}</span>
        </p>
        {entry.status === 'queued' ? (
          <MetadataFields idPrefix={`derma-upload-${entry.key}`} onChange={onChange} showPrimary value={entry.metadata} />
        ) : null}
        <div
          aria-label={entry.file.name}
          aria-valuemax={100}
          aria-valuemin={0}
          aria-valuenow={percent}
          className={`${baseClass}__progress`}
          role="progressbar"
        >
          <span style={{ width: `${percent}%` }} />
        </div>
        <p className={`${baseClass}__status`}>
          {status}
          {entry.error ? `: ${entry.error}` : ''}
        </p>
      </div>
      <div className={`${baseClass}__actions`}>
        {entry.status === 'uploading' ? (
          <Button buttonStyle="secondary" margin={false} onClick={onCancel} size="small">
            {t('plugin-derma-images:cancel')}
          </Button>
        ) : null}
        {entry.status === 'failed' || entry.status === 'cancelled' ? (
          <Button buttonStyle="secondary" margin={false} onClick={onRetry} size="small">
            {t('plugin-derma-images:retry')}
          </Button>
        ) : null}
        {entry.status !== 'uploading' ? (
          <Button buttonStyle="subtle" margin={false} onClick={onRemove} size="small">
            {t('plugin-derma-images:remove')}
          </Button>
        ) : null}
      </div>
    </li>
  )
}
