import type { ImageSize } from 'payload'
import type { Sharp, SharpOptions } from 'sharp'

import type { SharpFunction } from './encode.js'

/** One derivative of an upload (a configured image size), made during ingest. */
export type Derivative = {
  buffer: Buffer
  /** The file extension of the format sharp wrote, e.g. `jpg`. */
  extension: string
  height: number
  mimeType: string
  /** The image size's name, e.g. `thumbnail`. */
  name: string
  width: number
}

/** An image size Payload would leave empty for this image (its filename and dimensions null). */
export type OmittedSize = { name: string; omitted: true }

export type DerivedSize = Derivative | OmittedSize

const extensions: Record<string, string> = { heif: 'heic', jpeg: 'jpg', tiff: 'tif' }

type Dimensions = { height: number; width: number }

/**
 * Payload's rule (`getImageResizeAction`): with `withoutEnlargement` left undefined, a size is
 * omitted for an image smaller than it (in both dimensions, or in the one it sets).
 */
const isOmitted = async (size: ImageSize, uprightSize: Dimensions | Promise<Dimensions>): Promise<boolean> => {
  const { height, width, withoutEnlargement } = size
  if (withoutEnlargement !== undefined) {
    return false
  }
  const upright = await uprightSize
  if (width && height) {
    return upright.width < width && upright.height < height
  }
  return Boolean((width && upright.width < width) || (height && upright.height < height))
}

/** The size as sharp's resize options, as Payload passes it (`withoutReduction` implies contain, top left). */
const toResizeOptions = (size: ImageSize) => {
  const { admin: _admin, formatOptions: _format, generateImageName: _name, name: _sizeName, trimOptions: _trim, ...resize } = size
  return resize.withoutReduction ? { ...resize, fit: resize.fit ?? 'contain', position: resize.position ?? 'left top' } : resize
}

/**
 * Makes one configured image size, as Payload's `imageSizes` would (resize, then `formatOptions`,
 * then `trimOptions`, no metadata), from its own pipeline over `input`: the sizes and the original
 * run side by side instead of the sizes waiting for the re-encoded original. `upright` (the
 * image's size once rotated) is awaited only for Payload's omit rule; `fallbackFormat` is used
 * when the size sets no format (the stored original's).
 */
export const deriveSize = async (
  sharp: SharpFunction,
  input: { data: Buffer; options: SharpOptions },
  size: ImageSize,
  upright: Dimensions | Promise<Dimensions>,
  fallbackFormat: 'jpeg' | 'png' | 'webp',
): Promise<DerivedSize> => {
  if (await isOmitted(size, upright)) {
    return { name: size.name, omitted: true }
  }
  const format = size.formatOptions?.format ?? fallbackFormat
  let pipeline: Sharp = sharp(input.data, input.options).rotate().resize(toResizeOptions(size))
  // JPEG has no alpha: transparent areas of a PNG or WebP would turn black; flatten onto white
  // as the original's own JPEG encodes do.
  if (format === 'jpeg') {
    pipeline = pipeline.flatten({ background: '#ffffff' })
  }
  pipeline = pipeline.toFormat(format, size.formatOptions?.options)
  if (size.trimOptions) {
    pipeline = pipeline.trim(size.trimOptions)
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
  return {
    buffer: data,
    extension: extensions[info.format] ?? info.format,
    height: info.height,
    mimeType: `image/${info.format}`,
    name: size.name,
    width: info.width,
  }
}
