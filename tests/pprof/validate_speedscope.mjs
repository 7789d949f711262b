// Validates speedscope files against the schema the speedscope npm package ships
// (dist/release/file-format-schema.json, generated from its src/lib/file-format-spec.ts), with ajv,
// and checks what the schema cannot say but speedscope's importer relies on: every frame index is a
// frame of shared.frames, and each sampled profile has one weight per sample.
//   node validate_speedscope.mjs NODE_MODULES FILE...
// Prints one line per file ("ok FILE" or "invalid FILE: reasons"); exits 1 when one is invalid.
import {createRequire} from 'node:module';
import {readFileSync} from 'node:fs';
import path from 'node:path';

const [nodeModules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(nodeModules), 'index.js'));
const Ajv = require('ajv');
const schema = JSON.parse(readFileSync(require.resolve('speedscope/dist/release/file-format-schema.json'), 'utf8'));
// strict: false: the generated schema carries keywords ("title" beside "$ref") that ajv's strict
// mode frowns upon; the validation itself is the full draft-07 one.
const validate = new Ajv({allErrors: true, strict: false}).compile(schema);

function indexErrors(file) {
  const errors = [];
  const frames = file.shared.frames.length;
  file.profiles.forEach((p, i) => {
    if (p.type !== 'sampled') return;
    if (p.samples.length !== p.weights.length)
      errors.push(`profile ${i}: ${p.samples.length} samples, ${p.weights.length} weights`);
    p.samples.forEach((stack, s) => {
      if (stack.some(f => !Number.isInteger(f) || f < 0 || f >= frames))
        errors.push(`profile ${i} sample ${s}: a frame index outside shared.frames (${frames})`);
    });
  });
  return errors.slice(0, 5);
}

let failed = false;
for (const name of files) {
  const file = JSON.parse(readFileSync(name, 'utf8'));
  const errors = validate(file) ? indexErrors(file)
                                : validate.errors.slice(0, 5).map(e => `${e.instancePath} ${e.message}`);
  if (errors.length) failed = true;
  console.log(errors.length ? `invalid ${name}: ${errors.join('; ')}` : `ok ${name}`);
}
process.exit(failed ? 1 : 0);
