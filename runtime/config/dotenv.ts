/**
 * `.env` files: `KEY=value` lines (optional `export`, quotes, `#` comments). Values from the real
 * environment always win; secrets belong in the environment or a git-ignored `.env`, never in the
 * repository.
 */
import { exists } from "../fs.ts";

/** Parses `.env` text into key/value pairs. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1);
    } else v = v.replace(/\s+#.*$/, "");
    out[m[1]] = v;
  }
  return out;
}

/** The environment with a `.env` file's values added underneath (the environment wins). */
export function withDotEnv(
  env: Record<string, string | undefined>,
  file = ".env",
): Record<string, string | undefined> {
  if (!exists(file)) return env;
  return { ...parseDotEnv(Deno.readTextFileSync(file)), ...env };
}
