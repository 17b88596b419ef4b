import { isStoredFilename, toDerivativeFilename } from './names.js'

const original = '20261201T094500Z_4f0c2a1e-7b7d-4c1a-9a51-0d6a5f0b9c3e.jpg'
const derivative = { extension: 'jpg', height: 300, name: 'thumbnail', width: 300 }

describe('toDerivativeFilename', () => {
  it('should name a derivative as Payload does: the original’s name, -WxH, its extension', () => {
    const name = toDerivativeFilename(original, derivative)
    expect([name, isStoredFilename(name)]).toEqual(['20261201T094500Z_4f0c2a1e-7b7d-4c1a-9a51-0d6a5f0b9c3e-300x300.jpg', true])
  })

  it('should use the size’s generateImageName when it has one', () => {
    const name = toDerivativeFilename(original, derivative, ({ extension, originalName, sizeName }) => `${originalName}-${sizeName}.${extension}`)
    expect(name).toBe('20261201T094500Z_4f0c2a1e-7b7d-4c1a-9a51-0d6a5f0b9c3e-thumbnail.jpg')
  })
})
