/**
 * Embeds an ICC profile in a JPEG as APP2 "ICC_PROFILE" segments (ICC.1 annex B.4). sharp can
 * attach only a profile file or a built-in one, and a HEIC's own profile (e.g. an iPhone's
 * Display P3) must travel with its decoded pixels unchanged.
 */

const MAX_ICC_BYTES = 1024 * 1024
const SIGNATURE = Buffer.from('ICC_PROFILE\0', 'latin1')
const MAX_CHUNK = 0xffff - 2 - SIGNATURE.length - 2

/** A plausible ICC profile: a header whose size matches and whose signature is "acsp". */
export const isIccProfile = (icc: Uint8Array): boolean => {
  if (icc.length < 132 || icc.length > MAX_ICC_BYTES) {
    return false
  }
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength)
  return view.getUint32(0) === icc.length && Buffer.from(icc.subarray(36, 40)).toString('latin1') === 'acsp'
}

/** Returns `jpeg` with `icc` embedded after its JFIF header; `jpeg` unchanged when `icc` is not a valid profile. */
export const embedIccProfile = (jpeg: Buffer, icc: Uint8Array): Buffer => {
  if (!isIccProfile(icc) || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    return jpeg
  }
  // Insert after SOI and an APP0 (JFIF) segment when there is one, before any other segment.
  let insertAt = 2
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) {
    insertAt = 4 + jpeg.readUInt16BE(4)
  }
  const count = Math.ceil(icc.length / MAX_CHUNK)
  const segments = Array.from({ length: count }, (_, index) => {
    const chunk = icc.subarray(index * MAX_CHUNK, (index + 1) * MAX_CHUNK)
    const header = Buffer.alloc(4)
    header.writeUInt16BE(0xffe2, 0)
    header.writeUInt16BE(2 + SIGNATURE.length + 2 + chunk.length, 2)
    return Buffer.concat([header, SIGNATURE, Buffer.from([index + 1, count]), chunk])
  })
  return Buffer.concat([jpeg.subarray(0, insertAt), ...segments, jpeg.subarray(insertAt)])
}
