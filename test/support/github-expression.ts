// A small evaluator of GitHub Actions expressions (`${{ … }}`), enough for the values our example
// workflows compute (concurrency groups, `if:`): literals, property paths, `!`, `==`, `!=`, `&&`,
// `||`, parentheses and `format()`, with GitHub's rules: `&&`/`||` return an operand, a missing
// property is null, strings compare ignoring case, null interpolates as "".
// https://docs.github.com/en/actions/reference/workflows-and-actions/expressions

type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

export function interpolate(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => toText(evaluate(expr, context)));
}

export function evaluate(expr: string, context: Record<string, unknown>): Value {
  const tokens = tokenize(expr);
  let i = 0;
  const peek = () => tokens[i];
  const take = (want?: string) => {
    const t = tokens[i++];
    if (want !== undefined && t !== want) throw new Error(`expected ${want}, got ${t ?? "end"} in ${expr}`);
    return t!;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === "||") {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = equality();
    while (peek() === "&&") {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): Value => {
    let left = unary();
    while (peek() === "==" || peek() === "!=") {
      const op = take();
      const right = unary();
      left = op === "==" ? equals(left, right) : !equals(left, right);
    }
    return left;
  };
  const unary = (): Value => {
    if (peek() === "!") {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = take();
    if (t === "(") {
      const v = or();
      take(")");
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "null") return null;
    if (peek() === "(") {
      take("(");
      const args: Value[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") take(",");
      }
      take(")");
      return call(t, args);
    }
    let value: unknown = context;
    for (const key of t.split(".")) value = value !== null && typeof value === "object" && key in (value as object) ? (value as Record<string, unknown>)[key] : null;
    return (value ?? null) as Value;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expr}`);
  return result;
}

function tokenize(expr: string): string[] {
  const pattern = /\s*('(?:[^']|'')*'|\|\||&&|==|!=|!|\(|\)|,|-?\d+(?:\.\d+)?|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/y;
  const tokens: string[] = [];
  const text = expr.trim();
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (m === null) throw new Error(`cannot read ${text.slice(at)}`);
    tokens.push(m[1]!);
    at = pattern.lastIndex;
  }
  return tokens;
}

function call(name: string, args: Value[]): Value {
  if (name === "format") return String(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => toText(args[Number(n) + 1] ?? null));
  if (name === "contains") return typeof args[0] === "string" ? args[0].toLowerCase().includes(String(args[1]).toLowerCase()) : Array.isArray(args[0]) && args[0].includes(args[1]);
  throw new Error(`function ${name} is not supported here`);
}

function truthy(v: Value): boolean {
  return !(v === false || v === null || v === 0 || v === "" || (typeof v === "number" && Number.isNaN(v)));
}

function equals(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  const num = (v: Value) => (v === null ? 0 : typeof v === "boolean" ? Number(v) : typeof v === "string" ? (v.trim() === "" ? 0 : Number(v)) : Number.NaN);
  return num(a) === num(b);
}

function toText(v: Value): string {
  if (v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
