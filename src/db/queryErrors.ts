import type { BaseDatabaseAdapter } from 'payload'

import { withoutQueryParams } from '../utilities/withoutQueryParams.js'

/** The adapter's document operations: every query Payload runs for a REST, GraphQL or Local API call. */
const operations = [
  'count',
  'countGlobalVersions',
  'countVersions',
  'create',
  'createGlobal',
  'createGlobalVersion',
  'createVersion',
  'deleteMany',
  'deleteOne',
  'deleteVersions',
  // The PostgreSQL adapter's raw-SQL helper (the plugin's row locks use it).
  'execute',
  'find',
  'findDistinct',
  'findGlobal',
  'findGlobalVersions',
  'findOne',
  'findVersions',
  'queryDrafts',
  'updateGlobal',
  'updateGlobalVersion',
  'updateJobs',
  'updateMany',
  'updateOne',
  'updateVersion',
  'upsert',
] as const

type Operation = (this: BaseDatabaseAdapter, ...args: unknown[]) => Promise<unknown>

/**
 * A Drizzle query error carries the SQL and its parameters (names, descriptions, original file
 * names, e-mail addresses) in its message and own properties, and PostgreSQL's `detail` of a
 * check or unique violation every value of the row. Whoever logs it, Payload's REST routes
 * (before any hook), its GraphQL handler (`logError` on every resolver error), a host's own
 * collections and globals, or an app's `catch` around a Local API call, logs patient data. This
 * wraps the adapter's document operations so that such an error leaves them as a
 * `DatabaseQueryError`: its code, message, table, column and constraint, nothing else. Errors the
 * adapter itself turns into Payload's (a unique e-mail into a `ValidationError`) are kept as
 * they are, and the database's code stays readable for callers that branch on it.
 */
export const scrubQueryErrors = (adapter: BaseDatabaseAdapter): void => {
  const methods = adapter as unknown as Record<string, Operation | undefined>
  for (const name of operations) {
    const operation = methods[name]
    if (typeof operation !== 'function') {
      continue
    }
    methods[name] = async function (this: BaseDatabaseAdapter, ...args: unknown[]) {
      try {
        return await operation.apply(this, args)
      } catch (error) {
        throw withoutQueryParams(error)
      }
    }
  }
}
