/**
 * Log lines of the relay never hold a secret: API keys (`app-…`), bearer values, passports, the
 * visitor signatures of `user_id`, and any JSON or query field named like a token are cut down to
 * a recognisable stub before a line is written.
 */
const RULES: [RegExp, string | ((...groups: string[]) => string)][] = [
  // Dify secret keys: keep the prefix and the last four characters, as Dify's console list does.
  [/\b(app|sk)-([A-Za-z0-9]{8,})/g, (_w, prefix, body) => `${prefix}-…${body.slice(-4)}`],
  // The relay's passports and JWTs.
  [/\brp1\.[\w-]+\.[\w-]+/g, 'rp1.[redacted]'],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[redacted jwt]'],
  // Header-like pairs: "authorization: Bearer x", "x-app-passport=…".
  [/\b(authorization|x-app-passport|x-app-code|cookie|set-cookie)(["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',;&]+/gi, '$1$2$3[redacted]'],
  // JSON or query fields named like secrets, and the signed identity of `user_id`.
  [/\b(access_token|token|api_key|apikey|secret|password|user_id|passport)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi, '$1$2[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement as string);
  return out;
}

export type LogFn = (line: string) => void;

/** A logger that redacts every line; `false` silences the relay. */
export function safeLogger(log: LogFn | false | undefined): LogFn {
  if (log === false) return () => {};
  const sink = log ?? ((line: string) => console.log(line));
  return (line) => sink(redact(line));
}
