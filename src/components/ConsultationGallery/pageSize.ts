/**
 * Images per gallery request: one screen of thumbnails and a bit more. A plain module (not the
 * 'use client' hook's), so the server component reads the number itself, not a client reference.
 */
export const firstPageSize = 48
