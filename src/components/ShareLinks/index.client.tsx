'use client'

import {
  Button,
  CheckboxInput,
  ConfirmationModal,
  Drawer,
  TextareaInput,
  TextInput,
  toast,
  useAuth,
  useConfig,
  useDocumentInfo,
  useDrawerSlug,
  useModal,
  useTranslation,
} from '@payloadcms/ui'
import React, { useCallback, useEffect, useMemo, useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { ActiveShareLink, CreatedShareLink, ShareTarget } from './api.js'

import { countConsented, createLink, listActiveLinks, revokeLink } from './api.js'
import './index.scss'

const baseClass = 'derma-share-links'

/** What the server passes down: the collection, the images, and `shareLinks` options. */
export type ShareLinksOptions = { defaultDays: number; imagesSlug: string; maxDays: number; slug: string }

type Props = { kind: ShareTarget['kind']; options: ShareLinksOptions }

const absolute = (url: string): string => new URL(url, window.location.origin).href

type PanelProps = { drawerSlug: string; options: ShareLinksOptions; target: ShareTarget }

const SharePanel = ({ drawerSlug, options, target }: PanelProps) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { isModalOpen, openModal } = useModal()
  const revokeSlug = `${drawerSlug}-revoke`
  const [consented, setConsented] = useState<number>()
  const [links, setLinks] = useState<ActiveShareLink[]>([])
  const [days, setDays] = useState(String(options.defaultDays))
  const [hideIdentity, setHideIdentity] = useState(false)
  const [note, setNote] = useState('')
  const [created, setCreated] = useState<CreatedShareLink>()
  const [busy, setBusy] = useState(false)
  const [revoking, setRevoking] = useState<ActiveShareLink>()
  const open = isModalOpen(drawerSlug)

  const load = useCallback(
    () =>
      Promise.all([countConsented(target), listActiveLinks(target)]).catch((error: unknown) => {
        toast.error(`${t('plugin-derma-images:shareLoadError')} ${error instanceof Error ? error.message : ''}`)
        return undefined
      }),
    [t, target],
  )
  const reload = useCallback(async () => {
    const loaded = await load()
    if (loaded) {
      setConsented(loaded[0])
      setLinks(loaded[1])
    }
  }, [load])

  useEffect(() => {
    if (!open) {
      return
    }
    let current = true
    void load().then((loaded) => {
      if (current && loaded) {
        setConsented(loaded[0])
        setLinks(loaded[1])
      }
    })
    return () => {
      current = false
    }
  }, [load, open])

  const dayCount = Number(days)
  const validDays = Number.isInteger(dayCount) && dayCount >= 1 && dayCount <= options.maxDays
  const create = async () => {
    setBusy(true)
    try {
      setCreated(await createLink(target, { days: dayCount, hideIdentity, note }))
      setNote('')
      await reload()
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error))
    } finally {
      setBusy(false)
    }
  }
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url)
      toast.success(t('plugin-derma-images:shareCopied'))
    } catch {
      // Clipboard refused (insecure context, permission): the link stays selectable in the field.
    }
  }
  const expiry = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <div className={`${baseClass}__content`}>
      <p className={`${baseClass}__intro`}>{t('plugin-derma-images:shareIntro')}</p>
      {consented === undefined ? null : consented === 0 ? (
        <p className={`${baseClass}__warning`} role="alert">{t('plugin-derma-images:shareNone')}</p>
      ) : (
        <p className={`${baseClass}__consented`}>{t('plugin-derma-images:shareConsented', { count: consented })}</p>
      )}
      {created ? (
        <div className={`${baseClass}__created`} role="status">
          <p>{t('plugin-derma-images:shareCreated')}</p>
          <div className={`${baseClass}__url`}>
            <input aria-label={t('plugin-derma-images:shareCopy')} onFocus={(event) => { event.target.select() }} readOnly value={absolute(created.url)} />
            <Button buttonStyle="primary" margin={false} onClick={() => void copy(absolute(created.url))} size="small">
              {t('plugin-derma-images:shareCopy')}
            </Button>
          </div>
        </div>
      ) : null}
      <div className={`${baseClass}__form`}>
        <TextInput
          description={t('plugin-derma-images:shareDaysHint', { max: options.maxDays })}
          label={t('plugin-derma-images:shareDays')}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => { setDays(event.target.value) }}
          path={`${drawerSlug}-days`}
          value={days}
        />
        <CheckboxInput
          checked={hideIdentity}
          id={`${drawerSlug}-hide-identity`}
          label={t('plugin-derma-images:shareHideIdentity')}
          name="hideIdentity"
          onToggle={() => { setHideIdentity((current) => !current) }}
        />
        {hideIdentity ? <p className={`${baseClass}__hint`}>{t('plugin-derma-images:shareHideIdentityHint')}</p> : null}
        <TextareaInput
          label={t('plugin-derma-images:shareNote')}
          onChange={(event) => { setNote(event.target.value) }}
          path={`${drawerSlug}-note`}
          rows={3}
          value={note}
        />
        <Button buttonStyle="primary" disabled={busy || !validDays} margin={false} onClick={() => void create()}>
          {t('plugin-derma-images:shareCreate')}
        </Button>
      </div>
      <h4 className={`${baseClass}__heading`}>{t('plugin-derma-images:shareActive')}</h4>
      {links.length === 0 ? <p className={`${baseClass}__empty`}>{t('plugin-derma-images:shareNoActive')}</p> : null}
      <ul className={`${baseClass}__list`}>
        {links.map((link) => (
          <li className={`${baseClass}__link`} data-share-link={link.id} key={link.id}>
            <div>
              <strong>{t('plugin-derma-images:shareExpires', { date: expiry(link.expiresAt) })}</strong>
              {link.hideIdentity ? <span className={`${baseClass}__badge`}>{t('plugin-derma-images:shareIdentityHidden')}</span> : null}
              {link.note ? <span className={`${baseClass}__note`}>{link.note}</span> : null}
            </div>
            <Button
              buttonStyle="error"
              margin={false}
              onClick={() => {
                setRevoking(link)
                openModal(revokeSlug)
              }}
              size="small"
            >
              {t('plugin-derma-images:shareRevoke')}
            </Button>
          </li>
        ))}
      </ul>
      <ConfirmationModal
        body={t('plugin-derma-images:shareRevokeConfirm')}
        confirmLabel={t('plugin-derma-images:shareRevoke')}
        heading={t('plugin-derma-images:shareRevokeTitle')}
        modalSlug={revokeSlug}
        onConfirm={async () => {
          if (!revoking) {
            return
          }
          try {
            await revokeLink(target, revoking.id)
            toast.success(t('plugin-derma-images:shareRevoked'))
          } catch (error) {
            toast.error(error instanceof Error ? error.message : String(error))
          }
          await reload()
        }}
      />
    </div>
  )
}

/**
 * "Share for second opinion" on a saved consultation or lesion, for users who may create links
 * (admins, the consultation's doctor, a doctor of the lesion's patient): a drawer to create a link
 * (shown once, with a copy button) and to revoke the target's active links.
 */
export const ShareLinksButton = ({ kind, options }: Props) => {
  const { t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const { permissions } = useAuth()
  const { id } = useDocumentInfo()
  const { openModal } = useModal()
  const drawerSlug = useDrawerSlug('derma-share-links')
  const target = useMemo<ShareTarget | undefined>(
    () =>
      id === undefined
        ? undefined
        : { api: `${config.serverURL}${config.routes.api}`, imagesSlug: options.imagesSlug, kind, shareLinksSlug: options.slug, targetID: id },
    [config.routes.api, config.serverURL, id, kind, options.imagesSlug, options.slug],
  )
  if (!target || !permissions?.collections?.[options.slug]?.create) {
    return null
  }
  return (
    <>
      <Button buttonStyle="secondary" icon="link" margin={false} onClick={() => { openModal(drawerSlug) }} size="small">
        {t('plugin-derma-images:share')}
      </Button>
      <Drawer className={baseClass} slug={drawerSlug} title={t('plugin-derma-images:share')}>
        <SharePanel drawerSlug={drawerSlug} options={options} target={target} />
      </Drawer>
    </>
  )
}
