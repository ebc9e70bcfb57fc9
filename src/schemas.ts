import fs from 'node:fs';
import path from 'node:path';
import { configJsonSchema } from './core/config.js';
import { priceTableJsonSchema } from './pricing/prices.js';

/** The JSON Schemas tierwise publishes under schema/, generated from the zod schemas (one source of truth). */
export function publishedSchemas(): Record<string, string> {
  const withId = (id: string, s: Record<string, unknown>) => JSON.stringify({ $id: id, ...s }, null, 2) + '\n';
  return {
    'tierwise.config.schema.json': withId('https://github.com/tierwise/tierwise/blob/main/schema/tierwise.config.schema.json', configJsonSchema()),
    'prices.schema.json': withId('https://github.com/tierwise/tierwise/blob/main/schema/prices.schema.json', priceTableJsonSchema()),
  };
}

/** `npm run schema`: rewrites schema/*.json (a test fails when they drift from the zod schemas). */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../schema');
  for (const [name, text] of Object.entries(publishedSchemas())) fs.writeFileSync(path.join(dir, name), text);
}
