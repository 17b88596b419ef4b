// HEIC decoder thread: libheif (WebAssembly) decodes the primary image to RGBA pixels off the main
// event loop. Plain ESM JavaScript that Node runs as is, from this package's files, never bundled
// (see heicPool.ts for why): the same under Jest, tsx and a Next.js webpack server build.
//
// Protocol: says { ready: true } once its decoder has loaded; receives { id, data: Uint8Array,
// maxPixels: number }; replies
// { id, ok: true, width, height, hasAlpha, pixels: Uint8Array (transferred) } or
// { id, ok: false, code: 'decode' | 'too-large', message }.
import { parentPort } from 'node:worker_threads'

import libheif from 'libheif-js/wasm-bundle.js'

// libheif-js reports failures with console.log as well as a return value; keep the server's log
// clean (the return values carry the failure). This thread's console is its own.
globalThis.console.log = () => {}

class DecodeFailure extends Error {
  constructor(code, message) {
    super(message)
    this.code = code
  }
}

const display = (image, width, height) =>
  new Promise((resolve, reject) => {
    image.display({ data: new Uint8ClampedArray(width * height * 4), height, width }, (result) => {
      if (result) {
        resolve(result.data)
      } else {
        reject(new DecodeFailure('decode', 'libheif could not decode the image'))
      }
    })
  })

const decode = async (data, maxPixels) => {
  const decoder = new libheif.HeifDecoder()
  let images = []
  try {
    images = decoder.decode(data)
    const image = images.find((candidate) => candidate.is_primary()) ?? images[0]
    if (!image) {
      throw new DecodeFailure('decode', 'libheif found no image')
    }
    // Width and height already account for the container's rotation (irot) and mirroring (imir),
    // which libheif applies while decoding.
    const width = image.get_width()
    const height = image.get_height()
    if (!(width > 0 && height > 0)) {
      throw new DecodeFailure('decode', 'the image has no size')
    }
    if (width * height > maxPixels) {
      throw new DecodeFailure('too-large', 'the image has too many pixels')
    }
    const pixels = await display(image, width, height)
    return { hasAlpha: image.has_alpha_channel(), height, pixels, width }
  } finally {
    for (const image of images) {
      image.free()
    }
    if (decoder.decoder) {
      libheif.heif_context_free(decoder.decoder)
      decoder.decoder = null
    }
  }
}

parentPort.postMessage({ ready: true })

parentPort.on('message', ({ data, id, maxPixels }) => {
  decode(data, maxPixels).then(
    ({ hasAlpha, height, pixels, width }) => {
      const view = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)
      parentPort.postMessage({ hasAlpha, height, id, ok: true, pixels: view, width }, [pixels.buffer])
    },
    (error) => {
      parentPort.postMessage({
        code: error instanceof DecodeFailure ? error.code : 'decode',
        id,
        message: error instanceof Error ? error.message : String(error),
        ok: false,
      })
    },
  )
})
