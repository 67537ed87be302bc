// Generates src/api/schema.d.ts from the API's OpenAPI schema (openapi-typescript).
//   node scripts/gen-api.mjs                 schema from `qlp openapi` (no server needed)
//   node scripts/gen-api.mjs --from FILE     schema from a file or an http(s) URL (a running API's /openapi.json)
//   node scripts/gen-api.mjs --check [...]   exit 1 when the committed types differ from that schema
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const target = resolve(root, 'src/api/schema.d.ts')
const args = process.argv.slice(2)
const check = args.includes('--check')
const fromAt = args.indexOf('--from')
const from = fromAt >= 0 ? args[fromAt + 1] : undefined

async function loadSchema() {
  if (from && /^https?:\/\//.test(from)) {
    const r = await fetch(from)
    if (!r.ok) throw new Error(`${from}: HTTP ${r.status}`)
    return await r.json()
  }
  if (from) return JSON.parse(readFileSync(from, 'utf8'))
  const venv = resolve(root, '../.venv/bin/qlp')
  const cmd = existsSync(venv) ? venv : 'qlp'
  return JSON.parse(execFileSync(cmd, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 }))
}

const schema = await loadSchema()
const ast = await openapiTS(schema, { alphabetize: true })
const text =
  '// Generated from the API\'s OpenAPI schema by scripts/gen-api.mjs (npm run gen:api). Do not edit.\n\n' +
  astToString(ast)

if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : ''
  if (committed !== text) {
    console.error('src/api/schema.d.ts differs from the live OpenAPI schema: run `npm run gen:api` and commit it.')
    process.exit(1)
  }
  console.log('src/api/schema.d.ts matches the OpenAPI schema')
} else {
  writeFileSync(target, text)
  console.log(`wrote ${target}`)
}
