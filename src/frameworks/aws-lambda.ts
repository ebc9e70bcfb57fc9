import { parse as parseYaml } from 'yaml';
import type { TS, TsModule } from '../core/ts.js';
import type { ContextKind } from '../core/types.js';
import type { ExportMatcher, FrameworkEntry, MatchHelpers } from './types.js';
import { cadence } from '../core/entries.js';
import { importsOf } from '../core/imports.js';
import { awsSchedule } from './schedule-text.js';

/** `@types/aws-lambda` handler and event type names → the kind of invocation. */
const KINDS: ReadonlyArray<[RegExp, ContextKind]> = [
  [/^Scheduled(?:Handler|Event)$/, 'cron'],
  [/^(?:SQS|SNS|KinesisStream|DynamoDBStream|S3|S3Batch|MSK|SelfManagedKafka|FirehoseTransformation|CodePipelineCloudWatch|SES)(?:Handler|Event)$/, 'queue'],
  [/^(?:APIGatewayProxy(?:WithCognitoAuthorizer|WithLambdaAuthorizer)?(?:Handler|Event)(?:V2)?|APIGatewayProxyHandlerV2WithJWTAuthorizer|ALB(?:Handler|Event)|LambdaFunctionURL(?:Handler|Event)(?:WithIAMAuthorizer)?|AppSyncResolver(?:Handler|Event))$/, 'interactive'],
];

function unwrap(ts: TsModule, t: TS.TypeNode | undefined): TS.TypeReferenceNode | undefined {
  return t && ts.isTypeReferenceNode(t) ? t : undefined;
}

/** The kind a type reference names, when it comes from 'aws-lambda'. */
function kindOfType(ref: TS.TypeReferenceNode | undefined, h: MatchHelpers): { kind: ContextKind; label: string } | null {
  if (!ref) return null;
  const ts = h.ts;
  const name = ts.isIdentifier(ref.typeName) ? ref.typeName.text : ref.typeName.right.text;
  const base = ts.isIdentifier(ref.typeName) ? ref.typeName.text : ts.isIdentifier(ref.typeName.left) ? ref.typeName.left.text : '';
  const b = importsOf(ts, h.sourceFile).get(base);
  if (!b || b.module !== 'aws-lambda') return null;
  const label = h.text(ref);
  // Handler<Event> / Handler<Event, Result>: the event decides.
  if (name === 'Handler') return kindOfType(unwrap(ts, ref.typeArguments?.[0]), h) ?? null;
  if (name === 'EventBridgeHandler' || name === 'EventBridgeEvent') {
    const detailType = ref.typeArguments?.[0];
    const scheduled = !!detailType && ts.isLiteralTypeNode(detailType) && ts.isStringLiteral(detailType.literal) && detailType.literal.text === 'Scheduled Event';
    return { kind: scheduled ? 'cron' : 'queue', label };
  }
  for (const [re, kind] of KINDS) if (re.test(name)) return { kind, label };
  return null;
}

/** The handler's declared type (`export const handler: SQSHandler = …`), else its first parameter's type. */
function handlerKind(fn: TS.Node, h: MatchHelpers): { kind: ContextKind; label: string } | null {
  const ts = h.ts;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && p.type) {
    const k = kindOfType(unwrap(ts, p.type), h);
    if (k) return k;
  }
  if (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const k = kindOfType(unwrap(ts, fn.parameters[0]?.type), h);
    if (k) return k;
  }
  return null;
}

/**
 * AWS Lambda handlers typed with `@types/aws-lambda`: scheduled (EventBridge `ScheduledEvent` / `ScheduledHandler` /
 * `EventBridgeHandler<'Scheduled Event', …>`) → cron; SQS, SNS, Kinesis, DynamoDB streams, S3 → queue; API Gateway,
 * ALB, function URLs, AppSync → interactive. Decided by the export's type annotation or its event parameter's type.
 */
export const awsLambda: FrameworkEntry = {
  id: 'aws-lambda',
  name: 'AWS Lambda',
  kinds: ['cron', 'queue', 'interactive'],
  modules: ['aws-lambda'],
  recognises: 'exported Lambda handlers typed `ScheduledHandler` / `SQSHandler` / `Handler<SQSEvent>` / `(event: APIGatewayProxyEvent)` … from @types/aws-lambda',
  fixture: 'aws-lambda',
  exports: [
    {
      globs: ['**/*.{ts,mts,cts,tsx}'],
      exports: ['*'],
      read(name, fn, h) {
        const k = handlerKind(fn, h);
        if (!k) return null;
        return { kind: k.kind, trigger: `AWS Lambda ${name} (${k.label})`, cadence: cadence.unknown() };
      },
    },
  ],
};

interface ServerlessYml {
  functions?: Record<string, { handler?: unknown; events?: unknown[] }>;
}

/** Serverless Framework: `functions.x.handler: src/jobs/digest.handler` with `events: [{ schedule: 'cron(0 6 * * ? *)' }]`. */
export const serverlessSchedule: FrameworkEntry = {
  id: 'serverless-schedule',
  name: 'Serverless Framework schedule',
  kinds: ['cron', 'interval'],
  modules: [],
  recognises: '`serverless.yml` functions with `schedule` events (`rate(…)` / `cron(…)`) → the handler export',
  fixture: 'aws-lambda',
  overrides: ['aws-lambda'],
  project(p) {
    const exports: ExportMatcher[] = [];
    for (const file of ['serverless.yml', 'serverless.yaml']) {
      const raw = p.read(file);
      if (raw === undefined) continue;
      let doc: ServerlessYml;
      try {
        doc = parseYaml(raw) as ServerlessYml;
      } catch {
        continue;
      }
      for (const [fnName, def] of Object.entries(doc?.functions ?? {})) {
        if (typeof def?.handler !== 'string') continue;
        const dot = def.handler.lastIndexOf('.');
        if (dot <= 0) continue;
        const modulePath = def.handler.slice(0, dot).replace(/^\.\//, '');
        const exportName = def.handler.slice(dot + 1);
        for (const ev of def.events ?? []) {
          const s = (ev as { schedule?: unknown })?.schedule;
          const rates = typeof s === 'string' ? [s] : s && typeof s === 'object' ? ([] as unknown[]).concat((s as { rate?: unknown }).rate ?? []) : [];
          const rate = rates.find((r): r is string => typeof r === 'string');
          if (!rate) continue;
          const c = awsSchedule(rate);
          exports.push({
            globs: [`${modulePath}.{ts,mts,cts,js,mjs,cjs}`],
            exports: [exportName],
            read: () => ({ kind: c.type === 'interval' ? 'interval' : 'cron', trigger: `serverless.yml ${fnName} schedule '${rate}'`, cadence: c }),
          });
        }
      }
    }
    return { exports };
  },
};
