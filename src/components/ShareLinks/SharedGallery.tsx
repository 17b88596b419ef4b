import React from 'react'

import type { SharedGalleryView, SharedImageView } from '../../operations/shareView.js'
import type { VocabularyLocale } from '../../vocabulary/bodySites.js'
import type { SharedTile } from './SharedGalleryGrid.client.js'

import { formatShareDate, shareTranslator, vocabularyLabels } from './language.js'
import { SharedGalleryGrid } from './SharedGalleryGrid.client.js'

const baseClass = 'derma-share'
const dayS = 24 * 60 * 60

type Props = { language: VocabularyLocale; view: SharedGalleryView }

const when = (image: SharedImageView, language: VocabularyLocale, t: ReturnType<typeof shareTranslator>): string =>
  image.capturedAt ? formatShareDate(image.capturedAt, language) : t('sharePageDay', { day: image.day })

const toTile = (view: SharedGalleryView, language: VocabularyLocale) => {
  const t = shareTranslator(language)
  const labels = vocabularyLabels(language)
  return (image: SharedImageView, index: number): SharedTile => {
    const site = labels.bodySite(image.bodySite, image.laterality)
    const kind = [labels.acquisition(image.acquisition), labels.role(image.role)].filter(Boolean).join(' · ')
    const date = when(image, language, t)
    const thumbnail = image.sizes.thumbnail ?? image.original
    return {
      alt: [site, kind, date].filter(Boolean).join(' · '),
      caption: [kind, date, image.description].filter(Boolean).join(' — '),
      details: [kind, date, image.description ?? ''].filter(Boolean),
      downloadName: `second-opinion-${index + 1}`,
      key: image.key,
      original: image.original,
      preview: image.sizes.preview ?? image.original,
      thumbnail,
      title: site ?? t('noValue'),
    }
  }
}

/** Every share page's frame: the bar with the app's name and "Second opinion", then the page. */
const ShareFrame = ({ children, language }: { children: React.ReactNode; language: VocabularyLocale }) => (
  <div className={baseClass}>
    <header className={`${baseClass}__bar`}>
      <span className={`${baseClass}__brand`}>Derma Images</span>
      <span className={`${baseClass}__badge`}>{shareTranslator(language)('sharePageTitle')}</span>
    </header>
    {children}
  </div>
)

/** What the link is about: patient and consultation or lesion, unless identity is hidden. */
const Subject = ({ language, view }: Props) => {
  const t = shareTranslator(language)
  const labels = vocabularyLabels(language)
  const rows: [string, string][] = []
  if (view.patient?.name) {
    rows.push([t('sharePagePatient'), view.patient.name])
  }
  if (view.consultation?.date) {
    const date = t('sharePageConsultation', { date: formatShareDate(view.consultation.date, language) })
    rows.push([t('sharePageVisit'), [date, view.consultation.reason].filter(Boolean).join(' — ')])
  }
  if (view.lesion) {
    const site = labels.bodySite(view.lesion.bodySite, view.lesion.laterality)
    rows.push([t('lesion'), [view.lesion.label, site].filter(Boolean).join(' — ') || t('noValue')])
  }
  return rows.length > 0 ? (
    <dl className={`${baseClass}__subject`}>
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  ) : null
}

/**
 * The recipient's read-only gallery: who shared it, what it is about (or that identity is
 * hidden), the clinician's note, every consented image with its clinical labels, and the expiry.
 * Plain markup and one client component (the grid's lightbox); every label is formatted here.
 */
export const SharedGallery = ({ language, view }: Props) => {
  const t = shareTranslator(language)
  const expiry = view.expiresAt
    ? t('sharePageExpiresAt', { date: formatShareDate(view.expiresAt, language, true) })
    : t('sharePageExpiresIn', { count: Math.max(1, Math.ceil(view.expiresInSeconds / dayS)) })
  return (
    <ShareFrame language={language}>
      <main className={`${baseClass}__main`}>
        <section className={`${baseClass}__intro`}>
          <h1>{t('sharePageImages', { count: view.images.length })}</h1>
          {view.sharedBy ? <p className={`${baseClass}__by`}>{t('sharePageSharedBy', { name: view.sharedBy })}</p> : null}
          <Subject language={language} view={view} />
          {view.hideIdentity ? <p className={`${baseClass}__notice`}>{t('sharePageIdentityHidden')}</p> : null}
          {view.note ? (
            <figure className={`${baseClass}__note`}>
              <figcaption>{t('sharePageNote')}</figcaption>
              <blockquote>{view.note}</blockquote>
            </figure>
          ) : null}
        </section>
        {view.images.length === 0 ? <p className={`${baseClass}__empty`}>{t('sharePageEmpty')}</p> : null}
        <SharedGalleryGrid
          labels={{ close: t('close'), download: t('download'), next: t('lightboxNext'), previous: t('lightboxPrevious'), view: t('view') }}
          tiles={view.images.map(toTile(view, language))}
        />
      </main>
      <footer className={`${baseClass}__footer`}>
        <p>{t('sharePageReadOnly')}</p>
        <p className={`${baseClass}__expiry`}>{expiry}</p>
      </footer>
    </ShareFrame>
  )
}

/** The page of a link that is unknown, expired or revoked (the same for all three). */
export const ShareNotFound = ({ language }: { language: VocabularyLocale }) => {
  const t = shareTranslator(language)
  return (
    <ShareFrame language={language}>
      <main className={`${baseClass}__main ${baseClass}__gone`}>
        <h1>{t('sharePageNotFound')}</h1>
        <p>{t('sharePageNotFoundHint')}</p>
      </main>
    </ShareFrame>
  )
}
