import type { TS, TsModule } from './ts.js';

/**
 * Static evaluation of the small expressions that request params are made of: literals, constants, object literals
 * with spreads, property reads and simple arithmetic. Follows identifiers through the checker (which resolves the
 * project's own symbols even when `node_modules` is absent). Never throws; anything it cannot prove is `unknown`.
 */
export type StaticValue =
  | { kind: 'string'; value: string; node: TS.Node }
  | { kind: 'number'; value: number; node: TS.Node }
  | { kind: 'boolean'; value: boolean; node: TS.Node }
  | { kind: 'object'; props: Map<string, TS.Expression>; openSpread: boolean; literals: TS.ObjectLiteralExpression[]; node: TS.Node }
  | { kind: 'array'; elements: TS.Expression[]; node: TS.Node }
  | { kind: 'unknown'; node: TS.Node };

const MAX_DEPTH = 12;

/** The expression inside parentheses, `as`, `satisfies`, `<T>` assertions and `!`. */
export function unwrapExpression(ts: TsModule, expr: TS.Expression): TS.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
    e = e.expression;
  }
  return e;
}

export class Evaluator {
  constructor(
    private readonly ts: TsModule,
    private readonly checker: TS.TypeChecker,
  ) {}

  unwrap(expr: TS.Expression): TS.Expression {
    return unwrapExpression(this.ts, expr);
  }

  /** The declaration an identifier or property name refers to, through import aliases. */
  declarationOf(node: TS.Node): TS.Declaration | undefined {
    const symbol = this.symbolOf(node);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }

  symbolOf(node: TS.Node): TS.Symbol | undefined {
    let symbol: TS.Symbol | undefined;
    try {
      // `{ handler }`: the name of a shorthand property is the property's own symbol; the value it uses is the variable's.
      const shorthand = node.parent && this.ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node;
      symbol = shorthand ? this.checker.getShorthandAssignmentValueSymbol(node.parent) : this.checker.getSymbolAtLocation(node);
      if (!symbol && shorthand) symbol = this.checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & this.ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    } catch {
      return undefined;
    }
    return symbol;
  }

  /** The initializer of a `const` (or never-reassigned) variable, following identifiers. */
  initializerOf(id: TS.Identifier): TS.Expression | undefined {
    const decl = this.declarationOf(id);
    if (decl && this.ts.isVariableDeclaration(decl) && decl.initializer) return decl.initializer;
    return undefined;
  }

  evaluate(expr: TS.Expression | undefined, depth = 0): StaticValue {
    const ts = this.ts;
    if (!expr) return { kind: 'unknown', node: undefined as unknown as TS.Node };
    const e = this.unwrap(expr);
    if (depth > MAX_DEPTH) return { kind: 'unknown', node: e };
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { kind: 'string', value: e.text, node: e };
    if (ts.isNumericLiteral(e)) return { kind: 'number', value: Number(e.text.replace(/_/g, '')), node: e };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'boolean', value: true, node: e };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'boolean', value: false, node: e };
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
      const v = this.evaluate(e.operand, depth + 1);
      return v.kind === 'number' ? { kind: 'number', value: -v.value, node: e } : { kind: 'unknown', node: e };
    }
    if (ts.isBinaryExpression(e)) return this.binary(e, depth);
    if (ts.isObjectLiteralExpression(e)) return this.object(e, depth);
    if (ts.isArrayLiteralExpression(e)) return { kind: 'array', elements: [...e.elements], node: e };
    if (ts.isIdentifier(e)) {
      const init = this.initializerOf(e);
      if (init) {
        const v = this.evaluate(init, depth + 1);
        if (v.kind !== 'unknown') return v;
      }
      return this.fromType(e);
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e)
        ? e.name.text
        : ts.isStringLiteral(e.argumentExpression)
          ? e.argumentExpression.text
          : undefined;
      if (name !== undefined) {
        const target = this.evaluate(e.expression, depth + 1);
        if (target.kind === 'object') {
          const prop = target.props.get(name);
          if (prop) {
            const v = this.evaluate(prop, depth + 1);
            if (v.kind !== 'unknown') return v;
          }
        }
      }
      // Enum members and `as const` objects: the checker knows the literal type.
      return this.fromType(e);
    }
    if (ts.isTemplateExpression(e)) {
      let text = e.head.text;
      for (const span of e.templateSpans) {
        const v = this.evaluate(span.expression, depth + 1);
        if (v.kind !== 'string' && v.kind !== 'number') return { kind: 'unknown', node: e };
        text += String(v.value) + span.literal.text;
      }
      return { kind: 'string', value: text, node: e };
    }
    return this.fromType(e);
  }

  private fromType(e: TS.Expression): StaticValue {
    try {
      const type = this.checker.getTypeAtLocation(e);
      if (type.isStringLiteral()) return { kind: 'string', value: type.value, node: e };
      if (type.isNumberLiteral()) return { kind: 'number', value: type.value, node: e };
    } catch {
      // The checker can fail on broken code; the value is simply unknown.
    }
    return { kind: 'unknown', node: e };
  }

  private binary(e: TS.BinaryExpression, depth: number): StaticValue {
    const ts = this.ts;
    const op = e.operatorToken.kind;
    const l = this.evaluate(e.left, depth + 1);
    const r = this.evaluate(e.right, depth + 1);
    if (op === ts.SyntaxKind.PlusToken && (l.kind === 'string' || r.kind === 'string')) {
      if ((l.kind === 'string' || l.kind === 'number') && (r.kind === 'string' || r.kind === 'number')) {
        return { kind: 'string', value: String(l.value) + String(r.value), node: e };
      }
      return { kind: 'unknown', node: e };
    }
    if (l.kind !== 'number' || r.kind !== 'number') return { kind: 'unknown', node: e };
    switch (op) {
      case ts.SyntaxKind.PlusToken:
        return { kind: 'number', value: l.value + r.value, node: e };
      case ts.SyntaxKind.MinusToken:
        return { kind: 'number', value: l.value - r.value, node: e };
      case ts.SyntaxKind.AsteriskToken:
        return { kind: 'number', value: l.value * r.value, node: e };
      case ts.SyntaxKind.SlashToken:
        return { kind: 'number', value: l.value / r.value, node: e };
      case ts.SyntaxKind.AsteriskAsteriskToken:
        return { kind: 'number', value: l.value ** r.value, node: e };
      default:
        return { kind: 'unknown', node: e };
    }
  }

  private object(e: TS.ObjectLiteralExpression, depth: number): StaticValue {
    const ts = this.ts;
    const props = new Map<string, TS.Expression>();
    const literals: TS.ObjectLiteralExpression[] = [];
    let openSpread = false;
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        const name = propertyNameText(ts, p.name);
        if (name !== undefined) props.set(name, p.initializer);
        else openSpread = true;
      } else if (ts.isShorthandPropertyAssignment(p)) {
        props.set(p.name.text, p.name);
      } else if (ts.isSpreadAssignment(p)) {
        const v = this.evaluate(p.expression, depth + 1);
        if (v.kind === 'object') {
          for (const [k, val] of v.props) props.set(k, val);
          literals.push(...v.literals);
          if (v.openSpread) openSpread = true;
        } else {
          openSpread = true;
        }
      } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p)) {
        // methods and getters are not request params we read
      }
    }
    literals.push(e);
    return { kind: 'object', props, openSpread, literals, node: e };
  }

  /** Collects literal string pieces and counts non-literal parts of an expression (for token estimates). */
  collectText(expr: TS.Expression | undefined, out: { text: string[]; interpolations: number }, depth = 0): void {
    const ts = this.ts;
    if (!expr || depth > MAX_DEPTH) return;
    const e = this.unwrap(expr);
    if (ts.isTemplateExpression(e)) {
      const pieces = [e.head.text];
      for (const span of e.templateSpans) {
        const v = this.evaluate(span.expression, depth + 1);
        if (v.kind === 'string' || v.kind === 'number') pieces.push(String(v.value));
        else out.interpolations++;
        pieces.push(span.literal.text);
      }
      out.text.push(pieces.join(''));
      return;
    }
    const v = this.evaluate(e, depth + 1);
    if (v.kind === 'string') {
      out.text.push(v.value);
      return;
    }
    if (v.kind === 'array') {
      for (const el of v.elements) this.collectText(el, out, depth + 1);
      return;
    }
    if (v.kind === 'object') {
      // A message or content part: read its text-bearing fields.
      for (const key of ['content', 'text', 'input', 'instructions', 'prompt']) {
        const p = v.props.get(key);
        if (p) this.collectText(p, out, depth + 1);
      }
      return;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      this.collectText(e.left, out, depth + 1);
      this.collectText(e.right, out, depth + 1);
      return;
    }
    out.interpolations++;
  }
}

export function propertyNameText(ts: TsModule, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}
