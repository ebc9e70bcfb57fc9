import fs from 'node:fs';
import path from 'node:path';

/**
 * Generates a synthetic TypeScript service codebase of `files` files: a shared OpenAI client, thin AI wrappers,
 * service classes that call wrappers and each other, cron jobs and queue workers (background), Express routes
 * (interactive) and plain utility modules that never mention OpenAI. Deterministic for a given size.
 */
export function generateCodebase(dir: string, files: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  write('package.json', JSON.stringify({ name: 'bench-app', private: true, type: 'module' }, null, 2));
  write('src/lib/openai.ts', `import OpenAI from 'openai';\n\nexport const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n`);

  const n = Math.max(files - 1, 20);
  const counts = {
    wrappers: Math.max(2, Math.round(n * 0.05)),
    services: Math.max(4, Math.round(n * 0.35)),
    jobs: Math.max(2, Math.round(n * 0.08)),
    workers: Math.max(1, Math.round(n * 0.04)),
    routes: Math.max(2, Math.round(n * 0.08)),
  };
  const utils = Math.max(1, n - counts.wrappers - counts.services - counts.jobs - counts.workers - counts.routes);
  const models = ['gpt-5-mini', 'gpt-5', 'gpt-4o-mini', 'gpt-5-nano'];

  for (let i = 0; i < counts.wrappers; i++) {
    const embed = i % 5 === 4;
    write(
      `src/ai/wrapper${i}.ts`,
      `import { openai } from '../lib/openai.js';

const MODEL = '${embed ? 'text-embedding-3-small' : models[i % models.length]}';

export interface Wrapper${i}Input {
  text: string;
  locale?: string;
}

/** AI helper ${i}. */
export async function ai${i}(input: Wrapper${i}Input): Promise<string> {
  const trimmed = input.text.trim().slice(0, 4000);
${
  embed
    ? `  const res = await openai.embeddings.create({ model: MODEL, input: trimmed });
  return String(res.data[0]?.embedding.length ?? 0);`
    : `  const res = await openai.chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are helper ${i}. Answer briefly and in ' + (input.locale ?? 'en') + '.' },
      { role: 'user', content: trimmed },
    ],
    max_completion_tokens: ${100 + (i % 7) * 50},
  });
  return res.choices[0]?.message.content ?? '';`
}
}
`,
    );
  }

  for (let i = 0; i < counts.services; i++) {
    const w = i % counts.wrappers;
    const dep = i > 0 ? (i * 7) % i : -1;
    write(
      `src/services/service${i}.ts`,
      `import { ai${w} } from '../ai/wrapper${w}.js';
${dep >= 0 ? `import { Service${dep} } from './service${dep}.js';\n` : ''}import { format${i % utils} } from '../util/util${i % utils}.js';

export interface Record${i} {
  id: string;
  body: string;
  createdAt: Date;
}

type Status${i} = 'queued' | 'running' | 'done' | 'failed';

export type Event${i} =
  | { type: 'created'; record: Record${i}; at: Date }
  | { type: 'updated'; record: Record${i}; changes: Partial<Omit<Record${i}, 'id'>>; at: Date }
  | { type: 'status'; id: string; status: Status${i}; at: Date }
  | { type: 'deleted'; id: string; at: Date };

export type Handlers${i} = { [K in Event${i}['type']]: (event: Extract<Event${i}, { type: K }>) => Promise<void> };

export class Repository${i}<T extends { id: string }> {
  private readonly items = new Map<string, T>();

  async find(id: string): Promise<T | undefined> {
    return this.items.get(id);
  }

  async upsert(item: T): Promise<T> {
    this.items.set(item.id, item);
    return item;
  }

  async where<K extends keyof T>(key: K, value: T[K]): Promise<T[]> {
    return [...this.items.values()].filter((x) => x[key] === value);
  }
}

export function reduce${i}(events: readonly Event${i}[]): Map<string, Record${i} & { status?: Status${i} }> {
  const out = new Map<string, Record${i} & { status?: Status${i} }>();
  for (const e of events) {
    switch (e.type) {
      case 'created':
        out.set(e.record.id, e.record);
        break;
      case 'updated':
        out.set(e.record.id, { ...e.record, ...e.changes });
        break;
      case 'status': {
        const r = out.get(e.id);
        if (r) out.set(e.id, { ...r, status: e.status });
        break;
      }
      case 'deleted':
        out.delete(e.id);
        break;
    }
  }
  return out;
}

export class Service${i} {
  private readonly repo = new Repository${i}<Record${i}>();
  private readonly cache = new Map<string, string>();
${dep >= 0 ? `  constructor(private readonly next: Service${dep} = new Service${dep}()) {}\n` : ''}
  async handle(record: Record${i}): Promise<string> {
    const hit = this.cache.get(record.id);
    if (hit) return hit;
    const out = await ai${w}({ text: format${i % utils}(record.body) });
    this.cache.set(record.id, out);
    return out;
  }

  async handleAll(records: Record${i}[]): Promise<string[]> {
    const out: string[] = [];
    for (const r of records) out.push(await this.handle(r));
    return out;
  }
${dep >= 0 ? `\n  async chain(record: Record${i}): Promise<string> {\n    return this.next.handle({ ...record, id: record.id + '-next' });\n  }\n` : ''}}
`,
    );
  }

  for (let i = 0; i < counts.jobs; i++) {
    const s = i % counts.services;
    const schedule = ['0 6 * * *', '*/15 * * * *', '0 * * * *', '30 2 * * 1'][i % 4];
    write(
      `src/jobs/job${i}.ts`,
      `import cron from 'node-cron';
import { Service${s} } from '../services/service${s}.js';

const service = new Service${s}();

async function load${i}(): Promise<Array<{ id: string; body: string; createdAt: Date }>> {
  return [];
}

export async function runJob${i}(): Promise<number> {
  const records = await load${i}();
  const results = await service.handleAll(records);
  return results.length;
}

cron.schedule('${schedule}', async () => {
  await runJob${i}();
});
`,
    );
  }

  for (let i = 0; i < counts.workers; i++) {
    const s = (i * 3) % counts.services;
    write(
      `src/workers/worker${i}.ts`,
      `import { Worker } from 'bullmq';
import { Service${s} } from '../services/service${s}.js';

const service = new Service${s}();

export const worker${i} = new Worker<{ id: string; body: string }>(
  'queue-${i}',
  async (job) => service.handle({ id: job.data.id, body: job.data.body, createdAt: new Date() }),
  { connection: { host: 'localhost', port: 6379 } },
);
`,
    );
  }

  for (let i = 0; i < counts.routes; i++) {
    const s = (i * 5 + 1) % counts.services;
    write(
      `src/routes/route${i}.ts`,
      `import { Router } from 'express';
import { Service${s} } from '../services/service${s}.js';

export const router${i} = Router();
const service = new Service${s}();

router${i}.post('/api/r${i}', async (req, res) => {
  const body = String(req.body?.text ?? '');
  res.json({ result: await service.handle({ id: String(Date.now()), body, createdAt: new Date() }) });
});
`,
    );
  }

  for (let i = 0; i < utils; i++) {
    write(
      `src/util/util${i}.ts`,
      `/** Text utilities ${i}. */
export function format${i}(input: string): string {
  return input
    .split(/\\s+/)
    .filter((w) => w.length > 0)
    .map((w, idx) => (idx === 0 ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export interface Stats${i} {
  words: number;
  chars: number;
  lines: number;
}

export function stats${i}(input: string): Stats${i} {
  return { words: input.split(/\\s+/).length, chars: input.length, lines: input.split('\\n').length };
}

export function clamp${i}(n: number, lo = 0, hi = ${100 + i}): number {
  return Math.min(hi, Math.max(lo, n));
}

export type DeepPartial${i}<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial${i}<T[K]> : T[K] };

export type Result${i}<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

export async function attempt${i}<T>(f: () => Promise<T>): Promise<Result${i}<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

export function groupBy${i}<T, K extends PropertyKey>(items: readonly T[], key: (t: T) => K): Partial<Record<K, T[]>> {
  const out: Partial<Record<K, T[]>> = {};
  for (const item of items) (out[key(item)] ??= []).push(item);
  return out;
}

export function pick${i}<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = obj[k];
  return out;
}

export const enum Level${i} {
  Low = ${i},
  High = ${i + 1},
}
`,
    );
  }
}
