import crypto from 'node:crypto'

/**
 * Names this `npm test` run. Jest's workers inherit the variable, so the browser test files of one
 * run share a single `next build` (see test/e2e/helpers/app.ts).
 */
export default function globalSetup() {
  process.env.DERMA_E2E_RUN ??= crypto.randomUUID()
}
