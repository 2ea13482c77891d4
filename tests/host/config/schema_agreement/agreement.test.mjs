// `chathost --check-config` and the config's JSON Schema (checked by ajv, a real draft 2020-12
// validator) must give the same verdict on every config of a corpus: the shipped configs/*.yaml,
// the files in ../schema_cases/ and configs generated from the schema (an unknown key in every
// map, edge and out-of-range values of every integer, every choice, ...).
//
// schema_cases/valid_*.yaml must pass both, invalid_*.yaml fail both. differs_*.yaml are the
// documented exceptions (known_differences.json): rules only --check-config can enforce. The
// schema is lenient there, never stricter: it must not flag a file the host accepts.
//
// Needs CHATHOST_BUILD_DIR (bin/chathost, the instagram plugin, share/chathost/chathost.schema.json)
// and CHATHOST_SOURCE_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

const buildDir = process.env.CHATHOST_BUILD_DIR;
const sourceDir = process.env.CHATHOST_SOURCE_DIR;
assert.ok(buildDir && sourceDir, 'set CHATHOST_BUILD_DIR and CHATHOST_SOURCE_DIR');
const chathost = path.join(buildDir, 'bin', 'chathost');
const casesDir = path.join(sourceDir, 'tests', 'host', 'config', 'schema_cases');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chathost-schema-'));
process.on('exit', () => fs.rmSync(workDir, { recursive: true, force: true }));

// The whole environment --check-config sees, so `${NAME}` resolves the same on every machine.
const checkEnv = {
  CHATHOST_JWT_SECRET: 'a-shared-secret-of-at-least-32-bytes!',
  CASE_REDIS_PORT: '6380',
  CASE_BAD_PORT: '70000',
  CASE_FLAG: 'off',
};

function printedSchema() {
  const run = spawnSync(chathost, ['--print-config-schema'], { encoding: 'utf8', env: {} });
  assert.equal(run.status, 0, `chathost --print-config-schema failed: ${run.stderr}`);
  return run.stdout;
}

const schemaText = printedSchema();
const schema = JSON.parse(schemaText);
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(schema);

/** --check-config's verdict on `file`: { ok, output }. Exit 0 is valid, 2 invalid. */
function checkConfig(file) {
  const run = spawnSync(chathost, ['--check-config', file], {
    encoding: 'utf8',
    env: checkEnv,
    cwd: workDir,
  });
  assert.ok(run.status === 0 || run.status === 2,
    `chathost --check-config ${file} exited ${run.status} (${run.signal}): ${run.stderr}`);
  return { ok: run.status === 0, output: (run.stdout + run.stderr).trim() };
}

/** The schema's verdict on YAML `text`, parsed as editors do (YAML 1.2). */
function schemaCheck(text) {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0)
    return { ok: false, output: `YAML: ${doc.errors.map((e) => e.message).join('; ')}` };
  const ok = validate(doc.toJS());
  return { ok, output: ok ? 'valid' : ajv.errorsText(validate.errors) };
}

function verdicts(file) {
  const text = fs.readFileSync(file, 'utf8');
  return { host: checkConfig(file), schema: schemaCheck(text) };
}

function describe(name, v) {
  return `${name}\n  --check-config: ${v.host.ok ? 'valid' : 'invalid'}: ${v.host.output}` +
    `\n  schema: ${v.schema.ok ? 'valid' : 'invalid'}: ${v.schema.output}`;
}

test('the shipped schema file is what the binary prints', () => {
  const shipped = path.join(buildDir, 'share', 'chathost', 'chathost.schema.json');
  assert.equal(fs.readFileSync(shipped, 'utf8'), schemaText);
});

test('the shipped configs pass both', () => {
  const dir = path.join(sourceDir, 'configs');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const v = verdicts(path.join(dir, f));
    assert.ok(v.host.ok && v.schema.ok, describe(f, v));
  }
});

test('the case files get the verdict their name promises from both', () => {
  const known = JSON.parse(fs.readFileSync(path.join(casesDir, 'known_differences.json'), 'utf8'));
  const files = fs.readdirSync(casesDir).filter((f) => f.endsWith('.yaml')).sort();
  const wrong = [];
  const count = { valid: 0, invalid: 0, differs: 0 };
  for (const f of files) {
    const kind = f.split('_')[0];
    const v = verdicts(path.join(casesDir, f));
    if (kind === 'valid') {
      if (!v.host.ok || !v.schema.ok) wrong.push(describe(f, v));
    } else if (kind === 'invalid') {
      if (v.host.ok || v.schema.ok) wrong.push(describe(f, v));
    } else if (kind === 'differs') {
      if (!known[f]) wrong.push(`${f} is not listed in known_differences.json`);
      // Only this direction is allowed: the host refuses what the schema cannot see.
      if (v.host.ok || !v.schema.ok) wrong.push(describe(f, v));
    } else {
      wrong.push(`${f}: name it valid_, invalid_ or differs_`);
    }
    count[kind] = (count[kind] ?? 0) + 1;
  }
  for (const f of Object.keys(known))
    if (!files.includes(f)) wrong.push(`${f} is listed in known_differences.json but missing`);
  assert.deepEqual(wrong, []);
  assert.ok(count.valid >= 3 && count.invalid >= 20, JSON.stringify(count));
});

// --- Configs generated from the schema ------------------------------------------------------------

// A list's item needs its required keys. `enabled: false` keeps --check-config from loading the
// plugin, except in the cases about `enabled` itself: then the instagram plugin loads.
const itemSeeds = { plugins: { name: 'instagram', enabled: false } };

/** Every property and list item schema with its path: [{ path: ['server', 'threads'], schema }]. */
function walk(node, pathSoFar = [], out = []) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    out.push({ path: [...pathSoFar, key], schema: child });
    walk(child, [...pathSoFar, key], out);
  }
  if (node.items?.properties) {
    out.push({ path: [...pathSoFar, '[]'], schema: node.items, item: true });
    walk(node.items, [...pathSoFar, '[]'], out);
  }
  return out;
}

/** A config with `value` at `keyPath` ('[]' steps become a one-item list of a seeded item). */
function configWith(keyPath, value) {
  const build = (i, parentKey) => {
    if (i === keyPath.length) return value;
    if (keyPath[i] === '[]') return [{ ...itemSeeds[parentKey], ...build(i + 1, parentKey) }];
    return { [keyPath[i]]: build(i + 1, keyPath[i]) };
  };
  return build(0, '');
}

const branches = (s) => s.anyOf ?? [s];
const types = (s) => branches(s).flatMap((b) => [].concat(b.type ?? []));
const integerRange = (s) => branches(s).find((b) => b.type === 'integer');
const choicesOf = (s) => branches(s).find((b) => b.enum && !b.$ref)?.enum;

function generatedCases() {
  const cases = [];
  const add = (name, keyPath, value, expectValid) => cases.push(
    { name: `${keyPath.join('.') || 'top level'}: ${name}`, doc: configWith(keyPath, value), expectValid });
  // An unknown key in every map that lists its keys (its value is a map with one more key).
  add('an unknown key', [], { unknown_zz: 1 }, false);
  for (const { path: p, schema: s } of walk(schema))
    if (s.additionalProperties === false) add('an unknown key', p, { unknown_zz: 1 }, false);

  for (const { path: p, schema: s, item } of walk(schema)) {
    if (item) continue;
    const range = integerRange(s);
    const t = types(s);
    if (range) {
      add('its minimum', p, range.minimum, true);
      add('its minimum, quoted', p, String(range.minimum), true);
      add('below its minimum', p, range.minimum - 1, false);
      if (range.maximum !== undefined) {
        add('its maximum', p, range.maximum, true);
        add('above its maximum', p, range.maximum + 1, false);
      }
      add('a word', p, 'many', false);
    } else if (choicesOf(s)) {
      for (const choice of choicesOf(s)) add(JSON.stringify(choice), p, choice, true);
      add('a value outside the choices', p, 'bogus', false);
    } else if (t.includes('boolean') && !t.includes('string')) {
      add('yes', p, 'yes', true);
      add('false', p, false, true);
      add('maybe', p, 'maybe', false);
      add('a number', p, 1, false);
    } else if (t.includes('string') && branches(s).some((b) => b.minLength === 1)) {
      add('an empty string', p, '', false);
    }
    if (t.includes('object')) add('a list', p, [1], false);
    else add('a map', p, { a: 1 }, false);
    if (!t.includes('array') && !t.includes('object')) add('a list', p, ['a'], false);
    add('null', p, null, t.includes('null'));
  }
  return cases;
}

test('configs generated from the schema get the same verdict from both', (t) => {
  const cases = generatedCases();
  assert.ok(cases.length > 200, `only ${cases.length} generated cases`);
  t.diagnostic(`${cases.length} generated configs`);
  const wrong = [];
  cases.forEach((c, i) => {
    const file = path.join(workDir, `generated-${i}.yaml`);
    fs.writeFileSync(file, JSON.stringify(c.doc, null, 2));  // JSON is YAML
    const v = verdicts(file);
    if (v.host.ok !== c.expectValid || v.schema.ok !== c.expectValid)
      wrong.push(describe(`${c.name} (expected ${c.expectValid ? 'valid' : 'invalid'}): ` +
        JSON.stringify(c.doc), v));
  });
  assert.deepEqual(wrong, []);
});
