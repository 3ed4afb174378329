import ts from 'typescript';
import { HOLE } from '../../../shared/registry/index.js';
import type { Access, Occurrence } from '../occurrence.js';

/**
 * JavaScript, TypeScript, JSX and JSON through the TypeScript compiler's parser: comments never become
 * occurrences, and every string is seen with the code around it (an import, `process.env.X`, a header object, a
 * concatenation that builds a cookie name).
 */

export interface CodeOptions {
  /**
   * Also report declared and exported names (`class StackClientApp`, `exports.HexclaveClientApp`): what an SDK
   * build provides rather than what a project uses. The SDK extractor sets it; the project scanner does not.
   */
  readonly declarations?: boolean;
  /** Called when the code contains the central env transform `name.replace("STACK_", "HEXCLAVE_")`. */
  readonly onEnvTransform?: () => void;
}

const BRAND = /stack|hexclave/i;

const ENV_HELPERS = new Set(['getEnvVariable', 'getProcessEnv', 'getEnvBoolean']);
const READ_CALLS = new Set([
  'get',
  'getItem',
  'getCookie',
  'getCookieClient',
  'has',
  'getAll',
  ...ENV_HELPERS,
]);
const WRITE_CALLS = new Set([
  'set',
  'setItem',
  'setCookie',
  'setOrDeleteCookie',
  'setOrDeleteCookieClient',
  'append',
]);
const DELETE_CALLS = new Set(['removeItem', 'delete', 'deleteCookie', 'deleteCookieClient', 'remove']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self']);
const ENV_OBJECT = /^(process\.env|import\.meta\.env|Deno\.env|Bun\.env)$/;

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.(tsx)$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.(json|jsonc)$/.test(fileName)) return ts.ScriptKind.JSON;
  // .js may hold JSX (Create React App, older Next.js), so it is parsed the way JSX is.
  return ts.ScriptKind.JSX;
}

function accessOfCall(callee: ts.Expression): Access | undefined {
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : null;
  if (name === null) return undefined;
  if (READ_CALLS.has(name)) return 'read';
  if (WRITE_CALLS.has(name)) return 'write';
  if (DELETE_CALLS.has(name)) return 'delete';
  return undefined;
}

function expressionText(node: ts.Expression): string | null {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const left = expressionText(node.expression);
    return left === null ? null : `${left}.${node.name.text}`;
  }
  if (ts.isMetaProperty(node)) return `${ts.tokenToString(node.keywordToken)}.${node.name.text}`;
  return null;
}

/** `a + b + c` as a flat list of operands, when `+` joins them. */
function concatOperands(node: ts.Expression, out: ts.Expression[] = []): ts.Expression[] {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    concatOperands(node.left, out);
    concatOperands(node.right, out);
  } else if (ts.isParenthesizedExpression(node)) {
    concatOperands(node.expression, out);
  } else {
    out.push(node);
  }
  return out;
}

function isStringish(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

/** Names whose value is a fixed string or template: `get _refreshTokenCookieName() { return `…` }`, `const X = '…'`. */
type Constants = ReadonlyMap<
  string,
  ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression
>;

function collectConstants(source: ts.SourceFile): Constants {
  const constants = new Map<
    string,
    ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression
  >();
  const isFixed = (e: ts.Node | undefined): e is ts.StringLiteral | ts.TemplateExpression =>
    !!e && (isStringish(e) || ts.isTemplateExpression(e));
  const visit = (node: ts.Node): void => {
    if (
      ts.isGetAccessorDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.body?.statements.length === 1
    ) {
      const [statement] = node.body.statements;
      if (statement && ts.isReturnStatement(statement) && isFixed(statement.expression)) {
        constants.set(`this.${node.name.text}`, statement.expression);
      }
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isFixed(node.initializer)) {
      constants.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return constants;
}

/**
 * A template's value with HOLE for each part computed at run time. With constants (SDK builds), a part that is a
 * known getter or constant is filled in, and `${secure ? "__Host-" : ""}` is dropped: the registry knows which
 * names take that prefix.
 */
function templateValue(node: ts.TemplateExpression, constants?: Constants, depth = 0): string {
  const part = (expression: ts.Expression): string => {
    if (!constants || depth > 2) return HOLE;
    if (
      ts.isConditionalExpression(expression) &&
      [expression.whenTrue, expression.whenFalse].every(isStringish) &&
      [expression.whenTrue, expression.whenFalse]
        .map((e) => (e as ts.StringLiteral).text)
        .sort()
        .join('|') === '|__Host-'
    ) {
      return '';
    }
    const key =
      ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword
        ? `this.${expression.name.text}`
        : ts.isIdentifier(expression)
          ? expression.text
          : null;
    const known = key === null ? undefined : constants.get(key);
    if (!known) return HOLE;
    return isStringish(known) ? known.text : templateValue(known, constants, depth + 1);
  };
  return (
    node.head.text + node.templateSpans.map((span) => part(span.expression) + span.literal.text).join('')
  );
}

export function codeOccurrences(fileName: string, text: string, options: CodeOptions = {}): Occurrence[] {
  const kind = scriptKind(fileName);
  const source =
    kind === ts.ScriptKind.JSON
      ? ts.parseJsonText(fileName, text)
      : ts.createSourceFile(
          fileName,
          text,
          { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
          false,
          kind,
        );
  const out: Occurrence[] = [];
  const start = (node: ts.Node) => node.getStart(source);
  const constants = options.declarations ? collectConstants(source as ts.SourceFile) : undefined;
  const templateText = (node: ts.TemplateExpression) => templateValue(node, constants);

  const value = (node: ts.Node, text: string, access?: Access, skipQuote = true) => {
    if (!BRAND.test(text)) return;
    out.push({
      kind: 'value',
      value: text,
      offset: start(node) + (skipQuote ? 1 : 0),
      ...(access ? { access } : {}),
    });
  };
  const module = (node: ts.StringLiteralLike) => {
    if (BRAND.test(node.text)) out.push({ kind: 'module', value: node.text, offset: start(node) + 1 });
  };
  const codeName = (node: ts.Node, name: string, categories: Occurrence['categories']) => {
    if (BRAND.test(name))
      out.push({ kind: 'code-name', value: name, offset: start(node), categories: categories! });
  };
  const envName = (node: ts.Node, name: string, viaHelper = false, access: Access = 'read') => {
    if (!BRAND.test(name)) return;
    const offset = start(node) + (isStringish(node) ? 1 : 0);
    out.push({ kind: 'env-name', value: name, offset, access, ...(viaHelper ? { viaEnvHelper: true } : {}) });
  };

  const visit = (node: ts.Node, access: Access | undefined): void => {
    if (isStringish(node)) {
      value(node, node.text, access);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      value(node, templateText(node), access);
      for (const span of node.templateSpans) visit(span.expression, undefined);
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const operands = concatOperands(node);
      const first = operands.findIndex((o) => isStringish(o) || ts.isTemplateExpression(o));
      if (first >= 0) {
        const joined = operands
          .map((o) => (isStringish(o) ? o.text : ts.isTemplateExpression(o) ? templateText(o) : HOLE))
          .join('')
          .replace(new RegExp(`${HOLE}+`, 'g'), HOLE);
        // Offset of the joined value: where its first fixed part starts, so a name's column is exact.
        const lead = operands.slice(0, first).length > 0 ? 0 : 1;
        out.push(
          ...(BRAND.test(joined)
            ? [
                {
                  kind: 'value' as const,
                  value: joined,
                  offset: start(operands[0]!) + lead,
                  ...(access ? { access } : {}),
                },
              ]
            : []),
        );
        for (const o of operands) if (!isStringish(o)) visit(o, undefined);
        return;
      }
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = node.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec)) {
        module(spec);
        if (ts.isImportDeclaration(node) && /^@stackframe\/|^@hexclave\//.test(spec.text)) {
          const bindings = node.importClause?.namedBindings;
          if (bindings && ts.isNamedImports(bindings)) {
            for (const el of bindings.elements) {
              const imported = el.propertyName ?? el.name;
              codeName(imported, imported.text, ['sdk-export']);
            }
          }
        }
        if (
          ts.isExportDeclaration(node) &&
          options.declarations &&
          node.exportClause &&
          ts.isNamedExports(node.exportClause)
        ) {
          for (const el of node.exportClause.elements) codeName(el.name, el.name.text, ['sdk-export']);
        }
        return;
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const [arg] = node.arguments;
      const isRequire =
        (ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire && arg && isStringish(arg)) {
        module(arg);
        return;
      }
      if (
        options.onEnvTransform &&
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'replace' &&
        node.arguments.length === 2 &&
        node.arguments.every(isStringish) &&
        (node.arguments[0] as ts.StringLiteral).text === 'STACK_' &&
        (node.arguments[1] as ts.StringLiteral).text === 'HEXCLAVE_'
      ) {
        options.onEnvTransform();
      }
      const helper = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (ENV_HELPERS.has(helper) && arg && isStringish(arg)) {
        envName(arg, arg.text, true);
        for (const a of node.arguments.slice(1)) visit(a, undefined);
        return;
      }
      visit(callee, undefined);
      const callAccess = accessOfCall(callee);
      node.arguments.forEach((a, i) => {
        visit(a, i === 0 ? callAccess : undefined);
      });
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const owner = expressionText(node.expression);
      if (owner !== null && ENV_OBJECT.test(owner)) envName(node.name, node.name.text);
      else if (owner !== null && GLOBAL_OBJECTS.has(owner))
        codeName(node.name, node.name.text, ['window-global']);
      else if (options.declarations && owner === 'exports')
        codeName(node.name, node.name.text, ['sdk-export', 'window-global']);
      visit(node.expression, undefined);
      return;
    }
    if (ts.isElementAccessExpression(node)) {
      visit(node.expression, undefined);
      visit(node.argumentExpression, access ?? 'read');
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const owner = expressionText(node.initializer);
      if (owner !== null && ENV_OBJECT.test(owner)) {
        for (const el of node.name.elements) {
          const key = el.propertyName ?? el.name;
          if (ts.isIdentifier(key)) envName(key, key.text);
        }
      }
    }
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      // An object key is a name being set: a header in a headers object, an env variable in a config's `env`.
      if (ts.isIdentifier(node.name) && /^[A-Z][A-Z0-9_]+$/.test(node.name.text)) {
        envName(node.name, node.name.text, false, 'write');
      } else if (isStringish(node.name)) value(node.name, node.name.text, 'write');
      if (ts.isPropertyAssignment(node)) visit(node.initializer, undefined);
      return;
    }
    if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(source);
      codeName(node.name, name, ['dom-attribute']);
      if (node.initializer) visit(node.initializer, undefined);
      return;
    }
    if (
      options.declarations &&
      (ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node)) &&
      node.name
    ) {
      codeName(node.name, node.name.text, ['sdk-export', 'window-global']);
    }
    ts.forEachChild(node, (child) => visit(child, undefined));
  };
  visit(source, undefined);
  return out;
}
