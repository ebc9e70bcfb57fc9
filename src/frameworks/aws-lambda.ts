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

/** serverless.yml event types that deliver messages (queue) or requests (interactive) to a function. */
const EVENT_KINDS: Record<string, ContextKind> = {
  sqs: 'queue',
  sns: 'queue',
  stream: 'queue',
  kinesis: 'queue',
  s3: 'queue',
  msk: 'queue',
  kafka: 'queue',
  rabbitmq: 'queue',
  activemq: 'queue',
  eventBridge: 'queue',
  cloudwatchEvent: 'queue',
  iot: 'queue',
  http: 'interactive',
  httpApi: 'interactive',
  alb: 'interactive',
  websocket: 'interactive',
};

/** A short label of an event's value: the path of `httpApi: 'POST /x'`, the queue name of an SQS ARN. */
function eventDetail(value: unknown): string {
  const v = typeof value === 'string' ? value : value && typeof value === 'object' ? ((value as Record<string, unknown>).arn ?? (value as Record<string, unknown>).path ?? (value as Record<string, unknown>).topicName ?? (value as Record<string, unknown>).queue) : undefined;
  if (typeof v !== 'string') return '';
  const last = v.startsWith('arn:') ? v.slice(v.lastIndexOf(':') + 1) : v;
  return ` '${last}'`;
}

/**
 * Serverless Framework: `functions.x.handler: src/jobs/digest.handler` with `events: [{ schedule: 'cron(0 6 * * ? *)' }]`
 * (also `eventBridge: { schedule }`) → cron/interval; `sqs` / `sns` / `stream` / `kinesis` / … events → queue; `http` /
 * `httpApi` / `alb` events → interactive. The handler may be an ES or CommonJS export (`module.exports.handler = …`).
 * A handler typed with @types/aws-lambda keeps the kind its type gives (the `aws-lambda` entry) unless it is scheduled.
 */
export const serverlessSchedule: FrameworkEntry = {
  id: 'serverless-schedule',
  name: 'Serverless Framework',
  kinds: ['cron', 'interval', 'queue', 'interactive'],
  modules: [],
  recognises: '`serverless.yml` functions → the handler export (ES or CommonJS): `schedule` events (`rate(…)` / `cron(…)`) → cron / interval; `sqs`, `sns`, `stream`, `kinesis`, … → queue; `http`, `httpApi`, `alb` → interactive',
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
        const glob = `${modulePath}.{ts,mts,cts,js,mjs,cjs}`;
        for (const ev of Array.isArray(def.events) ? def.events : []) {
          const type = ev && typeof ev === 'object' ? Object.keys(ev)[0] : undefined;
          const value = type ? (ev as Record<string, unknown>)[type] : undefined;
          const bridgeSchedule = type === 'eventBridge' && value && typeof value === 'object' ? (value as { schedule?: unknown }).schedule : undefined;
          const kind = type && !(type === 'eventBridge' && bridgeSchedule) ? EVENT_KINDS[type] : undefined;
          if (type && kind) {
            exports.push({
              globs: [glob],
              exports: [exportName],
              // A handler whose @types/aws-lambda type already says what invokes it is left to the aws-lambda entry.
              read: (_name, fn, h) => (handlerKind(fn, h) ? null : { kind, trigger: `serverless.yml ${fnName} ${type}${eventDetail(value)}`, cadence: cadence.unknown() }),
            });
            continue;
          }
          const s = bridgeSchedule ?? (ev as { schedule?: unknown })?.schedule;
          const rates = typeof s === 'string' ? [s] : s && typeof s === 'object' ? ([] as unknown[]).concat((s as { rate?: unknown }).rate ?? []) : [];
          const rate = rates.find((r): r is string => typeof r === 'string');
          if (!rate) continue;
          const c = awsSchedule(rate);
          exports.push({
            globs: [glob],
            exports: [exportName],
            read: () => ({ kind: c.type === 'interval' ? 'interval' : 'cron', trigger: `serverless.yml ${fnName} schedule '${rate}'`, cadence: c }),
          });
        }
      }
    }
    return { exports };
  },
};
