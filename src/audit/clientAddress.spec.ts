import { clientAddressOf } from './clientAddress.js'

const headers = (forwardedFor: string): Headers => new Headers({ 'x-forwarded-for': forwardedFor })

describe('clientAddressOf', () => {
  it('should record no address when no proxy is trusted, whatever the header says', () => {
    expect(clientAddressOf(headers('203.0.113.9'), 0)).toBeUndefined()
  })

  it('should take the entry the one trusted proxy appended, not what the client sent before it', () => {
    expect(clientAddressOf(headers('198.51.100.1, 203.0.113.9'), 1)).toBe('203.0.113.9')
  })

  it('should count trusted hops from the right', () => {
    expect(clientAddressOf(headers('198.51.100.1, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9')
  })

  it('should record no address when the header has fewer entries than trusted hops', () => {
    expect(clientAddressOf(headers('203.0.113.9'), 2)).toBeUndefined()
  })

  it('should record no address for an entry that is not an IP address', () => {
    expect(clientAddressOf(headers('unknown'), 1)).toBeUndefined()
  })

  it('should accept IPv6 addresses', () => {
    expect(clientAddressOf(headers('2001:db8::1'), 1)).toBe('2001:db8::1')
  })
})
