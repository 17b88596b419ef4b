import type pg from 'pg'

import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { connectSql } from '../helpers/hooks-sql.js'
import { startPayload } from '../helpers/payload.js'
import { createRestClient } from '../helpers/rest.js'

// demo/Users.ts: maxLoginAttempts 5, lockTime 10 minutes.
const password = 'correct-horse-battery-staple'
const wrong = 'not-the-password'

let ctx: TestContext
let api: RestClient
let sql: pg.Client
let adminToken: string

type Answer = { body: { errors?: { message: string }[]; token?: string }; status: number }

const login = async (email: string, attempt = password): Promise<Answer> => {
  const res = await api.request('POST', '/users/login', { body: { email, password: attempt } })
  return { body: (await res.json()) as Answer['body'], status: res.status }
}

const createUser = async (email: string, role = 'patient'): Promise<void> => {
  // Test fixture set-up, not a user's action.
  await ctx.payload.create({ collection: 'users', data: { email, name: email, password, role } as never, overrideAccess: true })
}

beforeAll(async () => {
  ctx = await startPayload('lockout')
  api = createRestClient(ctx.payload.config)
  sql = await connectSql()
  await createUser('admin@lockout.test', 'admin')
  adminToken = (await login('admin@lockout.test')).body.token ?? ''
  await Promise.all(['sequential', 'bystander', 'parallel', 'expiry'].map((name) => createUser(`${name}@lockout.test`)))
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

// Payload answers a locked account 401 (its LockedAuth), with its own message.
const locked = { body: { errors: [{ message: 'This user is locked due to having too many failed login attempts.' }] }, status: 401 }

describe('five wrong passwords in a row', () => {
  let failures: Answer[]

  beforeAll(async () => {
    failures = []
    for (let n = 0; n < 5; n += 1) {
      failures.push(await login('sequential@lockout.test', wrong))
    }
  })

  it('should answer each with 401 and the error contract, never saying which part was wrong', () => {
    expect(failures).toEqual(Array.from({ length: 5 }, () => ({ body: { errors: [{ message: 'The email or password provided is incorrect.' }] }, status: 401 })))
  })

  it('should lock the account: even the right password is refused as locked', async () => {
    expect(await login('sequential@lockout.test')).toEqual(locked)
  })

  it('should leave other accounts alone', async () => {
    expect((await login('bystander@lockout.test')).status).toBe(200)
  })

  it('should let an admin unlock it, after which the right password works', async () => {
    const unlock = await api.request('POST', '/users/unlock', { body: { email: 'sequential@lockout.test' }, token: adminToken })
    expect([unlock.status, (await login('sequential@lockout.test')).status]).toEqual([200, 200])
  })
})

describe('twenty wrong passwords at once (a brute-force burst)', () => {
  it('should lock the account all the same', async () => {
    await Promise.all(Array.from({ length: 20 }, () => login('parallel@lockout.test', wrong)))
    expect(await login('parallel@lockout.test')).toEqual(locked)
  })
})

describe('a lock whose time has passed', () => {
  it('should let the right password in again', async () => {
    for (let n = 0; n < 5; n += 1) {
      await login('expiry@lockout.test', wrong)
    }
    const lockedAnswer = await login('expiry@lockout.test')
    // Ten minutes pass: the stored lock ends a second ago.
    await sql.query("UPDATE users SET lock_until = now() - interval '1 second' WHERE email = $1", ['expiry@lockout.test'])
    expect([lockedAnswer, (await login('expiry@lockout.test')).status]).toEqual([locked, 200])
  })
})
