import sharp from 'sharp'

/** A real JPEG with a gradient and a dark spot, so derivatives have something to resize. */
export const makeJpeg = async ({
  height = 900,
  seed = 0,
  width = 1200,
}: { height?: number; seed?: number; width?: number } = {}): Promise<Buffer> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><radialGradient id="g"><stop offset="0" stop-color="#5a3a22"/><stop offset="1" stop-color="#c99a7a"/></radialGradient></defs>
    <rect width="100%" height="100%" fill="rgb(${200 + (seed % 40)},${160 + (seed % 30)},${130 + (seed % 20)})"/>
    <ellipse cx="${width / 2 + (seed % 50)}" cy="${height / 2}" rx="${width / 8}" ry="${height / 9}" fill="url(#g)"/>
  </svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer()
}

export const asUploadFile = (data: Buffer, name = 'lesion.jpg', mimetype = 'image/jpeg') => ({
  data,
  mimetype,
  name,
  size: data.length,
})
