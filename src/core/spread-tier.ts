/**
 * A request whose `service_tier` is unreadable only because its params spread a parameter of the enclosing function
 * (`create({ model, messages, ...extra })`): the tier then comes from the callers. Every call of that function is
 * read (bounded by the tracer's callers' limit): the argument at the parameter's position, or its default when a
 * caller leaves it out, must be an object whose `service_tier` is a literal tier or absent (and that spreads nothing
 * unreadable itself). When every caller agrees, that is the call's tier; otherwise it stays `dynamic` and the
 * analysis says so in the report's notes rather than dropping the call silently.
 */
import type { ServiceTier } from './types.js';
import type { TS, TsModule } from './ts.js';
import type { Evaluator } from './values.js';

const TIERS: ReadonlySet<string> = new Set(['auto', 'default', 'flex', 'priority', 'fast', 'scale']);

type CallsOf = (fn: TS.SignatureDeclaration) => ReadonlyArray<TS.CallExpression | TS.NewExpression>;

export function tierThroughCallers(ts: TsModule, ev: Evaluator, call: TS.CallExpression, callsOf: CallsOf): ServiceTier | null {
  const arg = call.arguments[0];
  if (!arg) return null;
  const params = ev.evaluate(arg);
  if (params.kind !== 'object' || !params.openSpread || params.props.has('service_tier')) return null;
  // The spreads that did not resolve to an object: exactly one, of a parameter of a function around the call.
  const open = params.literals
    .flatMap((l) => l.properties.filter(ts.isSpreadAssignment))
    .filter((s) => ev.evaluate(s.expression).kind !== 'object');
  if (open.length !== 1) return null;
  const spread = ev.unwrap(open[0]!.expression);
  if (!ts.isIdentifier(spread)) return null;
  const param = ev.declarationOf(spread);
  if (!param || !ts.isParameter(param) || param.dotDotDotToken || !ts.isIdentifier(param.name)) return null;
  const fn = param.parent;
  if (!encloses(fn, call)) return null;
  const index = fn.parameters.indexOf(param);
  const callers = callsOf(fn);
  if (callers.length === 0) return null;
  const tiers = new Set<ServiceTier>();
  for (const caller of callers) {
    const given = caller.arguments?.[index];
    if (given && ts.isSpreadElement(given)) return null;
    const tier = tierOf(ts, ev, given ?? param.initializer);
    if (tier === null) return null;
    tiers.add(tier);
  }
  return tiers.size === 1 ? [...tiers][0]! : null;
}

/** The tier an object spread into the params contributes: `absent` when it sets none (or is undefined). */
function tierOf(ts: TsModule, ev: Evaluator, expr: TS.Expression | undefined): ServiceTier | null {
  if (!expr) return 'absent';
  const e = ev.unwrap(expr);
  if (e.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return 'absent';
  const v = ev.evaluate(e);
  if (v.kind !== 'object' || v.openSpread) return null;
  const tierNode = v.props.get('service_tier');
  if (!tierNode) return 'absent';
  const t = ev.evaluate(tierNode);
  return t.kind === 'string' && TIERS.has(t.value) ? (t.value as ServiceTier) : null;
}

function encloses(outer: TS.Node, inner: TS.Node): boolean {
  for (let n: TS.Node | undefined = inner.parent; n; n = n.parent) if (n === outer) return true;
  return false;
}
