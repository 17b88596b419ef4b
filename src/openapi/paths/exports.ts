import type { DocumentContext, Parameter, Paths } from '../types.js'

import { deidentifiedColumns } from '../../operations/zipForPurpose.js'
import { downloadQuery, exportQuery, maxExportImages } from '../../endpoints/schemas.js'
import { errorResponses } from '../components.js'
import { zodParameters } from '../jsonSchema.js'

const purposeDescription =
  '`teaching` or `research`: only the images whose consent (`consentScopes`) names it, de-identified (entries ' +
  '`images/<sequence>_<body site>.<ext>`, a manifest of ' +
  deidentifiedColumns.map((column) => `\`${column}\``).join(', ') +
  ', no ID, name, description, file name or full date). Admins and doctors only; a patient gets 403.'

/** The `?purpose=` of the consultation ZIP (`src/endpoints/downloadImages.ts`). */
export const downloadPurposeParameters = (): Parameter[] => zodParameters(downloadQuery, 'query', { purpose: purposeDescription })

const zipResponse = {
  content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } },
  description:
    'The de-identified archive (`Content-Disposition: attachment; filename="<purpose>-images.zip"`). Recorded in the ' +
    'audit trail before its first byte, one `zip-export` event per image with the purpose as its variant; if that ' +
    'cannot be written the export is refused with 503.',
  headers: { 'X-Total-Count': { description: 'How many images the filters and consent match, across pages.', schema: { type: 'integer', minimum: 0 } } },
}

/** The cross-consultation teaching and research export (`src/endpoints/exportImages.ts`). */
export const exportPaths = (ctx: DocumentContext): Paths => {
  const { consultationImages } = ctx.config.slugs
  return {
    [`/${consultationImages}/export.zip`]: {
      get: {
        description:
          'A de-identified ZIP, across consultations, of the images the admin or doctor may read whose consent names ' +
          `the purpose; at most ${String(maxExportImages)} per archive (ask for \`page=2\`, … for more). ` +
          'A consent withdrawn takes effect at once. An unknown query parameter answers 400.',
        operationId: 'exportConsultationImages',
        parameters: zodParameters(exportQuery, 'query', {
          acquisition: 'Only this acquisition type.',
          bodySite: 'Only this coded body site.',
          from: 'First capture day (YYYY-MM-DD, UTC, inclusive); the upload day for photos without a capture date.',
          laterality: 'Only this laterality.',
          limit: 'Images per archive.',
          page: 'The archive page, from 1, in image order.',
          purpose: purposeDescription,
          to: 'Last capture day (YYYY-MM-DD, UTC, inclusive).',
        }),
        responses: { '200': zipResponse, ...errorResponses(400, 401, 403) },
        summary: 'Export consented photos for teaching or research (de-identified ZIP)',
        tags: [ctx.collection(consultationImages).name],
      },
    },
  }
}
