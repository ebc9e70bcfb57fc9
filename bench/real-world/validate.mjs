// node bench/real-world/validate.mjs [labels/x.json ...]: checks label files against labels.schema.json and, when the
// corpus checkout is present, that every labelled file and line exists. Never runs tierwise.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = process.env.TIERWISE_CORPUS ?? path.resolve(here, '../../../corpus');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(here, 'labels.schema.json'), 'utf8')));
const files = process.argv.slice(2).length ? process.argv.slice(2) : fs.readdirSync(path.join(here, 'labels')).filter((f) => f.endsWith('.json')).map((f) => path.join(here, 'labels', f));
let bad = 0;
for (const f of files) {
  const labels = JSON.parse(fs.readFileSync(f, 'utf8'));
  const problems = [];
  if (!validate(labels)) problems.push(...validate.errors.map((e) => `${e.instancePath} ${e.message}`));
  const expectName = labels.repo?.replace('/', '+') + '.json';
  if (path.basename(f) !== expectName) problems.push(`file should be named ${expectName}`);
  const dir = path.join(corpus, labels.repo?.replace('/', '+') ?? '');
  if (fs.existsSync(dir)) {
    for (const s of [...(labels.sites ?? []), ...(labels.lookalikes ?? [])]) {
      const p = path.join(dir, s.file);
      if (!fs.existsSync(p)) problems.push(`${s.file}: no such file in the checkout`);
      else if (fs.readFileSync(p, 'utf8').split('\n').length < s.line) problems.push(`${s.file}:${s.line}: past the end of the file`);
    }
  } else problems.push(`(checkout ${dir} absent: files and lines not checked)`);
  const sites = labels.sites ?? [];
  console.log(`${path.basename(f)}: ${sites.length} sites (${sites.filter((s) => s.sdk === 'openai').length} openai, ${sites.filter((s) => s.context === 'background').length} background), ${labels.lookalikes?.length ?? 0} lookalikes${problems.length ? '' : ', ok'}`);
  for (const p of problems) console.log(`  ${p}`);
  if (problems.some((p) => !p.startsWith('('))) bad++;
}
process.exit(bad ? 1 : 0);
