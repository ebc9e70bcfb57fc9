import type { FrameworkEntry } from './types.js';
import { cadence, decoratorsOf } from '../core/entries.js';

const HTTP = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Search', 'Sse'];

/** NestJS HTTP controllers: methods of `@Controller(prefix)` classes with `@Get()`, `@Post()`, … `@Sse()`. */
export const nestjs: FrameworkEntry = {
  id: 'nestjs',
  name: 'NestJS',
  kinds: ['interactive'],
  modules: ['@nestjs/common'],
  recognises: '`@Controller(prefix)` classes\' methods decorated with `@Get|@Post|@Put|@Patch|@Delete|@All|@Sse(path)`',
  fixture: 'nestjs-queues',
  decorators: [
    {
      target: 'class',
      name: 'Controller',
      methodDecorators: HTTP,
      read(_d, args, h, method) {
        const a = args[0];
        const prefix = h.str(a) ?? h.str(h.prop(a, 'path')) ?? '';
        const route = decoratorsOf(h.ts, method).find((d) => HTTP.includes(d.name));
        const sub = route ? (h.str(route.args[0]) ?? '') : '';
        const path = '/' + [prefix, sub].map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
        const verb = route?.name === 'Sse' ? 'SSE' : (route?.name ?? '?').toUpperCase();
        return { kind: 'interactive', trigger: `NestJS ${verb} ${path}`, cadence: cadence.unknown() };
      },
    },
  ],
};
