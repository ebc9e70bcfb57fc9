/**
 * The text a call site's fingerprint hashes (baselines, SARIF `partialFingerprints`): the call's tokens, so that
 * ordinary reformatting keeps every baseline match. Ignored: whitespace and comments (they are not tokens), trailing
 * commas, semicolons and parentheses (Prettier adds and removes them: `x => …` / `(x) => …`, redundant grouping),
 * quote style (string literals count by their value, `'a'` ≡ `"a"` ≡ `` `a` ``; a quoted property name that could be
 * written bare counts as the bare name) and the spelling of numbers (`1.50` ≡ `1.5`, `0XFF` ≡ `255`).
 */
import type { TS, TsModule } from './ts.js';

const STRING = 's:';
/** A property name that Prettier's `quoteProps: 'as-needed'` would write bare. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function tokenText(ts: TsModule, node: TS.Node, sf: TS.SourceFile): string {
  const K = ts.SyntaxKind;
  const leaves: Array<{ kind: TS.SyntaxKind; text: string }> = [];
  const visit = (n: TS.Node): void => {
    if (n.kind >= K.FirstJSDocNode && n.kind <= K.LastJSDocNode) return;
    const kids = n.getChildren(sf);
    if (kids.length > 0 && n.kind !== K.StringLiteral && n.kind !== K.NoSubstitutionTemplateLiteral) {
      for (const k of kids) visit(k);
      return;
    }
    switch (n.kind) {
      case K.SemicolonToken:
      case K.OpenParenToken:
      case K.CloseParenToken:
        leaves.push({ kind: n.kind, text: '' });
        return;
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral: {
        const value = (n as TS.StringLiteral).text;
        const parent = n.parent;
        const bareKey = parent && ts.isPropertyAssignment(parent) && parent.name === n && IDENTIFIER.test(value);
        leaves.push({ kind: n.kind, text: bareKey ? value : `${STRING}${JSON.stringify(value)}` });
        return;
      }
      case K.TemplateHead:
      case K.TemplateMiddle:
      case K.TemplateTail:
        leaves.push({ kind: n.kind, text: `${STRING}${JSON.stringify((n as TS.TemplateLiteralLikeNode).text)}` });
        return;
      case K.NumericLiteral: {
        const raw = n.getText(sf).replace(/_/g, '');
        const value = Number(raw);
        leaves.push({ kind: n.kind, text: Number.isFinite(value) ? String(value) : raw.toLowerCase() });
        return;
      }
      default:
        leaves.push({ kind: n.kind, text: n.getText(sf) });
    }
  };
  visit(node);
  const closers = new Set<TS.SyntaxKind>([K.CloseBracketToken, K.CloseBraceToken, K.CloseParenToken]);
  const out: string[] = [];
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    // A trailing comma: the next token closes the list.
    if (leaf.kind === K.CommaToken && (i + 1 === leaves.length || closers.has(leaves[i + 1]!.kind))) continue;
    if (leaf.text) out.push(leaf.text);
  }
  return out.join(' ');
}
