import type { CollectionBeforeChangeHook } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { toDerivativeFilename } from '../storage/names.js'
import { getDermaContext } from './context.js'

type SizeData = {
  filename: null | string
  filesize: null | number
  height: null | number
  mimeType: null | string
  url: null
  width: null | number
}

const emptySize: SizeData = { filename: null, filesize: null, height: null, mimeType: null, url: null, width: null }

/**
 * With a new file, `sizes` describes the derivatives ingest made beside the original (named after
 * the stored original as Payload names them); a size Payload would omit has all its fields null.
 * Payload's field hooks then fill each size's `url`.
 */
export const getRecordIngestedSizesHook =
  ({ imageSizes }: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook<ConsultationImageDoc> =>
  ({ data, req }) => {
    const derivatives = getDermaContext(req.context).ingestedSizes
    if (!req.file || !derivatives || !data.filename) {
      return data
    }
    const original = data.filename
    const sizes = Object.fromEntries(
      derivatives.map((derivative): [string, SizeData] => {
        if ('omitted' in derivative) {
          return [derivative.name, emptySize]
        }
        const generateImageName = imageSizes.find((size) => size.name === derivative.name)?.generateImageName
        const { buffer, height, mimeType, width } = derivative
        const filename = toDerivativeFilename(original, derivative, generateImageName)
        return [derivative.name, { filename, filesize: buffer.length, height, mimeType, url: null, width }]
      }),
    )
    return { ...data, sizes }
  }
