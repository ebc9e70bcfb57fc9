/**
 * The plugin object and its configs, run through the real ESLint class of both supported majors (9 and 10):
 * `recommended` sees what is visible from each file, `recommended-type-checked` traces across files;
 * no type information is never an error for `recommended`; a broken tierwise config is a clear error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint as ESLint10 } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import tseslint from 'typescript-eslint';
import plugin from '../../rules/index.js';
import { clearCaches, tsModuleOf } from '../../rules/engine.js';
import { REPO } from '../support/fixtures.js';
import { TYPED, UNTYPED } from './support.js';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, { default: string; types: string }>;
  peerDependencies?: Record<string, string>;
};

type AnyESLint = new (opts: Record<string, unknown>) => {
  lintFiles(p: string[]): Promise<Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; fatal?: boolean; message: string }> }>>;
  lintText(code: string, opts: { filePath: string }): Promise<Array<{ messages: Array<{ ruleId: string | null; line: number; fatal?: boolean; message: string }> }>>;
};
const versions: Array<[string, AnyESLint]> = [
  ['ESLint 10', ESLint10 as unknown as AnyESLint],
  ['ESLint 9', ESLint9 as unknown as AnyESLint],
];

describe('plugin object', () => {
  it('has meta, the three rules and both flat configs', () => {
    expect(plugin.meta).toEqual({ name: 'tierwise/eslint-plugin', version: pkg.version, namespace: 'tierwise' });
    expect(Object.keys(plugin.rules).sort()).toEqual(['flex-needs-timeout', 'flex-unsupported-model', 'no-standard-tier-in-background']);
    for (const name of ['recommended', 'recommended-type-checked'] as const) {
      const c = plugin.configs[name];
      expect(c.plugins?.['tierwise']).toBe(plugin);
      expect(c.rules).toEqual({
        'tierwise/no-standard-tier-in-background': 'warn',
        'tierwise/flex-needs-timeout': 'warn',
        'tierwise/flex-unsupported-model': 'error',
      });
    }
    expect(plugin.configs['recommended-type-checked'].settings).toEqual({ tierwise: { typeChecked: true } });
    expect(plugin.configs['recommended-type-checked'].files).toEqual(['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']);
    expect(plugin.configs.recommended.settings).toBeUndefined();
    expect(plugin.configs.recommended.files).toBeUndefined();
  });

  it('rules with suggestions declare hasSuggestions; none is an autofix', () => {
    expect(plugin.rules['no-standard-tier-in-background'].meta?.hasSuggestions).toBe(true);
    expect(plugin.rules['flex-needs-timeout'].meta?.hasSuggestions).toBe(true);
    for (const r of Object.values(plugin.rules)) expect(r.meta?.fixable).toBeUndefined();
  });

  it('is exported as tierwise/eslint-plugin with an optional eslint ^9 || ^10 peer', () => {
    expect(pkg.exports['./eslint-plugin']).toEqual({ types: './dist/rules/index.d.ts', default: './dist/rules/index.js' });
    expect(pkg.peerDependencies?.['eslint']).toBe('^9 || ^10');
  });
});

const typedFiles = ['src/ai/summarize.ts', 'src/jobs/digest.ts', 'src/jobs/flex.ts', 'src/lib/openai.ts', 'src/routes/chat.ts'];

for (const [label, ESLint] of versions) {
  describe(`with ${label}`, () => {
    const lint = async (typed: boolean) => {
      const eslint = new ESLint({
        cwd: TYPED,
        overrideConfigFile: true,
        overrideConfig: [
          {
            files: ['**/*.ts'],
            languageOptions: { parser: tseslint.parser, parserOptions: typed ? { projectService: true, tsconfigRootDir: TYPED } : {} },
          },
          typed ? plugin.configs['recommended-type-checked'] : plugin.configs.recommended,
        ],
      });
      const results = await eslint.lintFiles(typedFiles);
      return results
        .flatMap((r) => r.messages.map((m) => `${m.ruleId} ${path.relative(TYPED, r.filePath).split(path.sep).join('/')}:${m.line}`))
        .sort();
    };

    it('recommended: only what is visible from each file', async () => {
      expect(await lint(false)).toEqual(['tierwise/flex-needs-timeout src/jobs/flex.ts:7', 'tierwise/flex-unsupported-model src/jobs/flex.ts:8']);
    });

    it('recommended-type-checked: also the call reached from a cron job in another file', async () => {
      expect(await lint(true)).toEqual([
        'tierwise/flex-needs-timeout src/jobs/flex.ts:7',
        'tierwise/flex-unsupported-model src/jobs/flex.ts:8',
        'tierwise/no-standard-tier-in-background src/ai/summarize.ts:5',
      ]);
    });

    it('recommended on plain JavaScript with the default parser (no parser services at all)', async () => {
      const eslint = new ESLint({ cwd: UNTYPED, overrideConfigFile: true, overrideConfig: [{ ...plugin.configs.recommended, settings: { tierwise: { root: UNTYPED } } }] });
      const code = `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 * * * *', async () => {
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [] });
});
`;
      const [r] = await eslint.lintText(code, { filePath: path.join(UNTYPED, 'src/jobs/hourly.js') });
      expect(r!.messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual(['tierwise/no-standard-tier-in-background:5']);
      // The message names the callee, the entrypoint and its trigger, and the estimated saving.
      expect(r!.messages[0]!.message).toMatch(
        /^`openai\.chat\.completions\.create` runs in the cron job node-cron '0 \* \* \* \*' \(src\/jobs\/hourly\.js:4\) on the standard tier; `service_tier: "flex"` would save about \$[\d.,]+\/month\.$/,
      );
    });
  });
}

describe('errors', () => {
  it('an invalid tierwise.config.json is a clear error, not silence', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-eslint-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"x"}');
      fs.writeFileSync(path.join(dir, 'tierwise.config.json'), '{"entrypoints":{"background":"src/jobs/**"}}');
      clearCaches();
      const eslint = new ESLint10({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never] });
      await expect(eslint.lintText("import OpenAI from 'openai';\nawait new OpenAI().responses.create({ model: 'gpt-5', input: 'x' });\n", { filePath: path.join(dir, 'a.js') })).rejects.toThrow(
        /tierwise\.config\.json is not a valid tierwise config[\s\S]*entrypoints\.background/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      clearCaches();
    }
  });

  it('recommended-type-checked without type information falls back to the single-file analysis, and skips JavaScript', async () => {
    const code = `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 * * * *', async () => {
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [] });
});
`;
    for (const [label, ESLint] of versions) {
      // A TypeScript file parsed without a program (no projectService): the finding visible from the file, no error.
      const eslint = new ESLint({
        cwd: UNTYPED,
        overrideConfigFile: true,
        overrideConfig: [
          { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
          { ...plugin.configs['recommended-type-checked'], settings: { tierwise: { typeChecked: true, root: UNTYPED } } },
        ],
      });
      const [ts] = await eslint.lintText(code, { filePath: path.join(UNTYPED, 'src/jobs/hourly.ts') });
      expect(ts!.messages.map((m) => `${m.ruleId}:${m.line}`), label).toEqual(['tierwise/no-standard-tier-in-background:5']);
      // An eslint.config.mjs (or any JavaScript file) is outside the config's files: not linted by it, never an error.
      const [js] = await eslint.lintText(code, { filePath: path.join(UNTYPED, 'eslint.config.mjs') });
      expect(js!.messages.filter((m) => m.fatal || m.ruleId?.startsWith('tierwise/')), label).toEqual([]);
    }
  });

  it('recommended roots a workspace at its monorepo root, as the audit and the typed config do', async () => {
    const mono = path.join(REPO, 'fixtures/workspaces/monorepo');
    clearCaches();
    const eslint = new ESLint10({
      cwd: mono,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended] as never,
    });
    const [r] = await eslint.lintFiles([path.join(mono, 'packages/jobs/src/nightly.ts')]);
    const messages = r!.messages.filter((m) => m.ruleId === 'tierwise/no-standard-tier-in-background');
    expect(messages).toHaveLength(1);
    // Paths in the message are relative to the monorepo root (the workspace has its own tsconfig.json).
    expect(messages[0]!.message).toContain('(packages/jobs/src/nightly.ts:15');
  });

  it('suggestions say "replace" when they replace a tier, and name the 5-minute fetch limit with the timeout', async () => {
    const code = `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('*/5 * * * *', async () => {
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [], service_tier: 'default' });
});
`;
    const eslint = new ESLint10({ cwd: UNTYPED, overrideConfigFile: true, overrideConfig: [{ ...plugin.configs.recommended, settings: { tierwise: { root: UNTYPED } } }] as never });
    const [r] = await eslint.lintText(code, { filePath: path.join(UNTYPED, 'src/jobs/often.js') });
    const suggestions = r!.messages.flatMap((m) => (m as { suggestions?: Array<{ desc: string }> }).suggestions ?? []).map((s) => s.desc);
    expect(suggestions).toContain("Replace `service_tier: 'default'` with `service_tier: 'flex'` in this request.");
    expect(suggestions.some((d) => /^Raise the timeout .*5 minutes.*undici/.test(d))).toBe(true);
    // An anonymous handler is named by its schedule, not `<module>`.
    expect(r!.messages[0]!.message).toMatch(/runs in the cron job node-cron '\*\/5 \* \* \* \*' \(src\/jobs\/often\.js:4\)/);
  });
});

describe('TypeScript versions in type-checked mode', () => {
  it('uses the module that built the program, and reports nothing rather than mixing versions', async () => {
    const ts60 = (await import('typescript-6')).default;
    const { Linter } = await import('eslint');
    const ts59 = (await import('typescript')).default;
    const file = path.join(TYPED, 'src/jobs/flex.ts');
    const code = fs.readFileSync(file, 'utf8');
    const own = ts59.createSourceFile(file, code, ts59.ScriptTarget.Latest, true);
    expect(tsModuleOf(own, TYPED)).toBe(ts59);
    // A program built by TypeScript 6.0 (the `typescript-6` alias), handed to typescript-eslint: no `typescript`
    // that resolves from the project, typescript-estree or tierwise built it.
    const parsed60 = ts60.getParsedCommandLineOfConfigFile(path.join(TYPED, 'tsconfig.json'), {}, { ...ts60.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const foreign = ts60.createProgram({ rootNames: parsed60.fileNames, options: parsed60.options });
    expect(tsModuleOf(foreign.getSourceFile(file)! as never, TYPED)).toBeUndefined();
    expect(foreign.getSourceFile(file)!.constructor).not.toBe(own.constructor);
    const verify = (programs: unknown[]) =>
      new Linter({ cwd: TYPED }).verify(
        code,
        [
          { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { programs } } },
          plugin.configs['recommended-type-checked'],
        ] as never,
        { filename: file },
      );
    expect(verify([foreign]).filter((m) => m.ruleId?.startsWith('tierwise/'))).toEqual([]);
    // The same file with a 5.9 program is reported as usual.
    const parsed = ts59.getParsedCommandLineOfConfigFile(path.join(TYPED, 'tsconfig.json'), {}, { ...ts59.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program59 = ts59.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    expect(verify([program59]).map((m) => `${m.ruleId}:${m.line}`)).toEqual(['tierwise/flex-needs-timeout:7', 'tierwise/flex-unsupported-model:8']);
  }, 120_000);
});
