import { createHash, randomBytes } from 'node:crypto'

/** Where a link's gallery lives in the app (the Next page) and its API (plugin endpoints under `/api`). */
export const sharePagePath = '/share'
export const shareApiPath = '/share'

/** 32 random bytes (256 bits) as base64url: 43 characters of `[A-Za-z0-9_-]`. */
const tokenPattern = /^[\w-]{43}$/

/** A new link's secret: 256 bits from the operating system's CSPRNG. Shown once, never stored. */
export const createShareToken = (): string => randomBytes(32).toString('base64url')

export const isWellFormedShareToken = (token: unknown): token is string => typeof token === 'string' && tokenPattern.test(token)

/**
 * What is stored instead of the token: its SHA-256, hex. A fast unsalted hash is right here, unlike
 * for passwords: the token has 256 bits of entropy, so there is no dictionary to try and a stolen
 * table of hashes cannot be reversed by brute force; salting or stretching (bcrypt, scrypt) would
 * only slow down every opening and prevent the indexed look-up by hash.
 */
export const hashShareToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/**
 * The name of an image inside one link: derived from the link's hash and the image's ID, so the
 * link's URLs carry no database ID and no stored file name (which starts with the upload time),
 * and the same image has unrelated names in two links.
 */
export const shareImageKey = (tokenHash: string, imageID: number | string): string =>
  createHash('sha256').update(`${tokenHash}:${String(imageID)}`, 'utf8').digest('base64url').slice(0, 22)

/** Masks the token in a path for anything that might be logged: `/api/share/abc…` → `/api/share/***`. */
export const maskShareToken = (path: string): string => path.replace(/\/share\/[^/?#]+/g, '/share/***')
