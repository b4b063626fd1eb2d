import { z } from "zod";

/** An optional integer variable within [min, max]; unset or blank is `fallback`. */
export const envInt = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : Number(v)))
    .pipe(z.number({ error: "must be a number" }).int().min(min).max(max));

/** Parses variables with `schema`; bad values throw one error naming each variable, one per line. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`).join("\n"));
  return parsed.data;
}
