import { scopesOf } from "./app-form";

/** Splits a list typed one per line, or separated by commas or spaces. */
const listOf = (value: FormDataEntryValue | null) => (typeof value === "string" ? scopesOf(value) : []);
const textOf = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : undefined);

/**
 * A connection form (FormData) as the wire-named input of
 * lib/connections/connections.ts, which checks it. Field names are the wire
 * names, so its field errors land on the right controls. The edit form
 * leaves the client secret blank to keep it; `kind` and `slug` only come
 * from the create form (they are fixed afterwards).
 */
export function connectionInputFromForm(form: FormData, mode: "create" | "edit"): Record<string, unknown> {
  const level = textOf(form.get("level")) ?? "project";
  const input: Record<string, unknown> = {
    name: textOf(form.get("name")) ?? "",
    client_id: textOf(form.get("client_id")) ?? "",
    scopes: listOf(form.get("scopes")),
    allowed_email_domains: listOf(form.get("allowed_email_domains")),
    link_verified_email: form.get("link_verified_email") === "on",
    enabled: form.get("enabled") === "on",
    level,
    // Apps are chosen only for an app-level connection; the boxes of a hidden picker are ignored.
    apps: level === "app" ? form.getAll("apps").filter((v): v is string => typeof v === "string") : [],
  };
  // Presets have no issuer field: leaving it out keeps the preset's.
  if (form.has("issuer")) input.issuer = textOf(form.get("issuer")) ?? "";
  const secret = textOf(form.get("client_secret")) ?? "";
  if (mode === "create") {
    input.slug = textOf(form.get("slug")) ?? "";
    input.kind = textOf(form.get("kind")) ?? "";
    input.client_secret = secret;
  } else if (secret !== "") {
    input.client_secret = secret;
  }
  return input;
}
