import { createFhirValidator } from '../../test/helpers/fhirSchema.js'
import { toOperationOutcome } from './operationOutcome.js'

const fhir = createFhirValidator()

describe('toOperationOutcome', () => {
  it.each<[number, string, string]>([
    [400, 'error', 'invalid'],
    [401, 'error', 'login'],
    [403, 'error', 'forbidden'],
    [404, 'error', 'not-found'],
    [405, 'error', 'not-supported'],
    [422, 'error', 'processing'],
    [500, 'fatal', 'exception'],
    [503, 'error', 'transient'],
  ])('should answer %i with a valid OperationOutcome of severity %s and code %s', (status, severity, code) => {
    const outcome = toOperationOutcome(status, [{ message: 'Something is off.' }])
    expect([outcome.issue.map((issue) => [issue.severity, issue.code, issue.details?.text, issue.diagnostics]), fhir.errorsOf(outcome)]).toEqual([
      [[severity, code, 'Something is off.', 'Something is off.']],
      [],
    ])
  })

  it('should give one issue per problem, each with the field at fault', () => {
    const outcome = toOperationOutcome(400, [{ message: 'Expected a number.', path: 'id' }, { message: 'Too long.' }])
    expect(outcome.issue.map((issue) => issue.expression)).toEqual([['id'], undefined])
  })
})
