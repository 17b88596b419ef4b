import type { Clinic } from './clinic.js'

/** Everyone a clinic test acts as: the clinic's five users and no one. */
export type ActorName = 'admin' | 'anonymous' | 'doctor' | 'otherDoctor' | 'otherPatient' | 'patient'

/** The actor's token; none for anonymous. */
export const tokenOf = (clinic: Clinic, actor: ActorName): string | undefined => (actor === 'anonymous' ? undefined : clinic[actor].token)

/**
 * What reading something of the "own" consultation answers to each actor: the admin, its doctor
 * and its patient see it; the others get 404 (as if it did not exist); anonymous gets 401.
 */
export const ownReadStatuses: readonly (readonly [ActorName, number])[] = [
  ['admin', 200],
  ['doctor', 200],
  ['patient', 200],
  ['otherDoctor', 404],
  ['otherPatient', 404],
  ['anonymous', 401],
]
