// What every answer must look like, by the part of the server that gives it
// (docs: docs/reference/management-api.md and RFC 6749 §5.2). Returns the problem, or
// null for an answer in shape.
import { API_ERROR_CODES } from "../../lib/api/api-error";
import type { FuzzResponse } from "./client";
import type { ResponseKind } from "./routes";

const header = (res: FuzzResponse, name: string) => {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
};

function jsonOf(res: FuzzResponse): { value?: unknown; problem?: string } {
  if (!/^application\/([a-z.+-]+\+)?json\b/i.test(header(res, "content-type"))) return { problem: `content-type ${JSON.stringify(header(res, "content-type"))}, not JSON` };
  try {
    return { value: JSON.parse(res.body.toString("utf8")) };
  } catch {
    return { problem: "a body that is not JSON" };
  }
}

/** RFC 6749 §5.2: `error` a string, `error_description` a string if present. */
function oauthErrorProblem(res: FuzzResponse): string | null {
  const { value, problem } = jsonOf(res);
  if (problem) return problem;
  const error = value as { error?: unknown; error_description?: unknown };
  if (typeof error !== "object" || error === null || typeof error.error !== "string" || !error.error) return "a JSON error without an `error` code";
  if (error.error_description !== undefined && typeof error.error_description !== "string") return "a non-string error_description";
  return null;
}

/** lib/api/api-error.ts: `{error, error_description, fields?}`, `error` one of the table's codes. */
function apiErrorProblem(res: FuzzResponse): string | null {
  const problem = oauthErrorProblem(res);
  if (problem) return problem;
  const error = JSON.parse(res.body.toString("utf8")) as { error: string; error_description?: unknown; fields?: unknown };
  if (!(API_ERROR_CODES as readonly string[]).includes(error.error)) return `error code ${JSON.stringify(error.error)} is not in the API's table`;
  if (typeof error.error_description !== "string") return "no error_description";
  if (error.fields !== undefined && (typeof error.fields !== "object" || error.fields === null || Object.values(error.fields).some((f) => typeof f !== "string"))) {
    return "fields is not a map of messages";
  }
  return null;
}

const isHtml = (res: FuzzResponse) => /^text\/html\b/i.test(header(res, "content-type"));

/**
 * The problem with an answer, or null. `exported`: whether the route
 * exports the method.
 */
export function shapeProblem(kind: ResponseKind, method: string, exported: boolean, res: FuzzResponse): string | null {
  if (res.status >= 500) return `status ${res.status}`;
  if (res.status < 100) return "no status";
  // Next answers a method the route does not export itself (405, or the page); only a 5xx counts there.
  if (!exported) return null;
  if (res.status >= 300 && res.status < 400 && res.status !== 304) return header(res, "location") ? null : `a ${res.status} without Location`;
  // HEAD answers carry no body; OPTIONS (CORS preflight) and 204 neither.
  if (method === "HEAD" || method === "OPTIONS" || res.status === 204 || res.status === 304) return null;
  const client = res.status >= 400;
  switch (kind) {
    case "oauth":
      if (client) return oauthErrorProblem(res);
      // RFC 7009 §2.2: revocation answers 200 with an empty body.
      return res.body.length === 0 ? null : (jsonOf(res).problem ?? null);
    case "api":
      return client ? apiErrorProblem(res) : (jsonOf(res).problem ?? null);
    case "health":
      return jsonOf(res).problem ?? null;
    case "html":
      return isHtml(res) ? null : `content-type ${JSON.stringify(header(res, "content-type"))}, not HTML`;
    case "next-auth":
      // next-auth answers its JSON endpoints (csrf, session, providers) in JSON, its pages in HTML and an action it does not know in plain text.
      if (isHtml(res) || (client && /^text\/plain\b/i.test(header(res, "content-type")))) return null;
      return res.body.length === 0 ? null : (jsonOf(res).problem ?? null);
  }
}
