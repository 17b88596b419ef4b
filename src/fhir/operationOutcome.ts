import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes'

import type { ErrorItem } from '../endpoints/errorContract.js'

type IssueCode = OperationOutcomeIssue['code']

/**
 * The issue type (http://hl7.org/fhir/R4/valuetype-issue-type.html, a required binding) of each
 * HTTP status the FHIR routes answer, as FHIR's RESTful API pairs them
 * (http://hl7.org/fhir/R4/http.html#Status-Codes): 400 bad input `invalid` (or `required`/`value`
 * would need per-field knowledge the message already gives), 401 `login`, 403 `forbidden`,
 * 404 `not-found`, 405 `not-supported`, 409 `conflict`, 413 `too-long`, 422 `processing`
 * (understood but cannot be done), 503 `transient` (try again later), any other 5xx `exception`.
 */
const issueCodes: Partial<Record<number, IssueCode>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  503: 'transient',
}

export const issueCodeOf = (status: number): IssueCode => issueCodes[status] ?? (status >= 500 ? 'exception' : 'processing')

/**
 * An R4 OperationOutcome (http://hl7.org/fhir/R4/operationoutcome.html) for an error answer:
 * one issue per problem, the human message in `details.text` and `diagnostics`, the field at
 * fault (`id`) in `expression`. Severity `error` (the request failed); `fatal` for an unexpected
 * server failure, after which nothing more was checked.
 */
export const toOperationOutcome = (status: number, errors: ErrorItem[]): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: (errors.length > 0 ? errors : [{ message: 'The request failed.' }]).map(
    ({ message, path }): OperationOutcomeIssue => ({
      severity: status >= 500 && status !== 503 ? 'fatal' : 'error',
      code: issueCodeOf(status),
      details: { text: message },
      diagnostics: message,
      ...(path ? { expression: [path] } : {}),
    }),
  ),
})
