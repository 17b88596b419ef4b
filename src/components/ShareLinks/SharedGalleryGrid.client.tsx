'use client'

import React, { useState } from 'react'
import Lightbox from 'yet-another-react-lightbox'
import Captions from 'yet-another-react-lightbox/plugins/captions'
import Counter from 'yet-another-react-lightbox/plugins/counter'
import Download from 'yet-another-react-lightbox/plugins/download'
import Zoom from 'yet-another-react-lightbox/plugins/zoom'

const baseClass = 'derma-share'

type Size = { height?: number; url: string; width?: number }

/** One tile, with every label already in the page's language (formatted on the server). */
export type SharedTile = {
  alt: string
  caption: string
  details: string[]
  downloadName: string
  key: string
  original: Size
  preview: Size
  thumbnail: Size
  title: string
}

type Props = { labels: { close: string; download: string; next: string; previous: string; view: string }; tiles: SharedTile[] }

/** The thumbnail grid and, on a click, the 1600 px previews in a lightbox with zoom and download of the original. */
export const SharedGalleryGrid = ({ labels, tiles }: Props) => {
  const [index, setIndex] = useState(-1)
  return (
    <>
      <ul className={`${baseClass}__grid`}>
        {tiles.map((tile, position) => (
          <li className={`${baseClass}__tile`} data-share-image={tile.key} key={tile.key}>
            <button aria-label={`${labels.view}: ${tile.alt}`} className={`${baseClass}__open`} onClick={() => { setIndex(position) }} type="button">
              <img alt={tile.alt} height={300} loading="lazy" src={tile.thumbnail.url} width={300} />
            </button>
            <div className={`${baseClass}__caption`}>
              <strong>{tile.title}</strong>
              {tile.details.map((detail) => (
                <span key={detail}>{detail}</span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <Lightbox
        captions={{ descriptionMaxLines: 4, showToggle: false }}
        close={() => { setIndex(-1) }}
        index={index}
        labels={{ Close: labels.close, Download: labels.download, Next: labels.next, Previous: labels.previous }}
        on={{ view: ({ index: current }) => { setIndex(current) } }}
        open={index >= 0}
        plugins={[Captions, Counter, Download, Zoom]}
        slides={tiles.map((tile) => ({
          alt: tile.alt,
          description: tile.caption,
          download: { filename: tile.downloadName, url: tile.original.url },
          height: tile.preview.height,
          src: tile.preview.url,
          title: tile.title,
          width: tile.preview.width,
        }))}
        zoom={{ maxZoomPixelRatio: 3 }}
      />
    </>
  )
}
