import { assertSomeSignInRemains, PASSWORD_SIGNIN_REQUIRED, SIGN_IN_METHODS_LOCK } from "./connections/sign-in-remains";
import { announceLocalChange } from "./db/local-changes";
import { z } from "zod";
import { recordAudit, type Actor } from "./audit";
import { SIGNING_ALGS, type SigningAlg } from "./oauth/keys/algorithms";
import { sameResource } from "./oauth/resources";
import type { PrismaClient } from "./db/generated/client.ts";

export const MAX_RESOURCE_SERVERS = 20;
const MAX_RESOURCE_URI = 2048;

/**
 * Why a resource server identifier is refused, or null: an absolute https URI
 * (RFC 8707 §2) without fragment, query or credentials; http only for
 * loopback hosts while the server runs in development.
 */
export function resourceServerProblem(value: string, development: boolean): string | null {
  if (value.length > MAX_RESOURCE_URI) return `must be at most ${MAX_RESOURCE_URI} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URI, such as https://mcp.example.com/mcp";
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && !(development && loopback)) return "must use https (http is allowed only for localhost in development)";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use https";
  if (value.includes("#")) return "must not contain a fragment";
  if (url.search || value.includes("?")) return "must not contain a query";
  if (url.username || url.password) return "must not contain credentials";
  return null;
}

const resourceServersSchema = z
  .array(z.string())
  .max(MAX_RESOURCE_SERVERS, `At most ${MAX_RESOURCE_SERVERS} resource servers`)
  .meta({
    description:
      "Resource servers (e.g. MCP servers) the project issues access tokens for, as absolute https URIs such as `https://mcp.example.com/mcp`. " +
      "A `resource` parameter must name one of them or the issuer (the project's own API), else `invalid_target`; it becomes the token's `aud`.",
  });

/** Access tokens are signed with one of the server's signing algorithms (RFC 9068 §2.1: RS256 is what every resource server supports). */
export type AccessTokenAlg = SigningAlg;

/** Project-level settings: end-user sign-up, the self-registration toggles (DCR, CIMD), the resource servers (RFC 8707), the access tokens' algorithm. */
export const projectSettingsSchema = z.object({
  password_signin_enabled: z.boolean().meta({
    description:
      "Whether people may sign in with an email and password kept here (the built-in connection; the default). It can be turned off " +
      "only while at least one enabled project-level sign-in connection exists, and such a connection cannot then be removed or disabled.",
  }),
  signup_enabled: z.boolean().meta({
    description:
      "Whether anyone may create an end-user account at /signup (the default). Off: the sign-up page says sign-up is closed and " +
      "existing accounts sign in as before.",
  }),
  dcr_enabled: z.boolean(),
  cimd_enabled: z.boolean(),
  resource_servers: resourceServersSchema,
  access_token_alg: z.enum(SIGNING_ALGS).meta({
    description:
      "How access tokens are signed: `RS256` (the default; every JWT library and RFC 9068 resource server accepts it) or `ES256` " +
      "(smaller tokens, several times cheaper to sign; check that your APIs accept it). Both keys are always in JWKS, so a change " +
      "takes effect for new tokens at once and tokens already issued stay valid.",
  }),
  require_par: z.boolean().meta({
    description:
      "Whether every app must push its authorization requests first (RFC 9126, `POST /oauth2/par`) and open /oauth2/authorize " +
      "with the `request_uri` it got; a plain authorization request is then refused with `invalid_request`. Off by default; an app " +
      "can also require it for itself (its `require_par`). Discovery says `require_pushed_authorization_requests`.",
  }),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

/** What a change may carry: each resource server is checked, and no two name the same resource. */
export function settingsChangeSchema(development: boolean) {
  return projectSettingsSchema
    .extend({
      resource_servers: resourceServersSchema.superRefine((values, ctx) => {
        values.forEach((value, index) => {
          const problem = resourceServerProblem(value, development);
          if (problem) ctx.addIssue({ code: "custom", path: [index], message: `${value} ${problem}` });
          else if (values.slice(0, index).some((other) => sameResource(other, value))) {
            ctx.addIssue({ code: "custom", path: [index], message: `${value} is listed twice` });
          }
        });
      }),
    })
    .partial()
    .strict();
}

const DEFAULTS: ProjectSettings = { password_signin_enabled: true, signup_enabled: true, dcr_enabled: false, cimd_enabled: false, resource_servers: [], access_token_alg: "RS256", require_par: false };

/** The keys of the project_settings rows that hold settings. */
export const PROJECT_SETTING_KEYS = Object.keys(DEFAULTS);

/** Settings from their stored rows, defaults for the missing ones. */
export function settingsFromRows(rows: readonly { key: string; value: unknown }[]): ProjectSettings {
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  return projectSettingsSchema.parse({ ...DEFAULTS, ...stored });
}

export async function getProjectSettings(prisma: PrismaClient): Promise<ProjectSettings> {
  return settingsFromRows(await prisma.projectSetting.findMany({ where: { key: { in: PROJECT_SETTING_KEYS } } }));
}

/** Updates some settings (an upsert per key) and records what changed; `development` (the caller's configuration) allows http://localhost resource servers. */
export async function updateProjectSettings(
  prisma: PrismaClient,
  actor: Actor,
  patch: Partial<ProjectSettings>,
  options: { development?: boolean } = {},
): Promise<ProjectSettings> {
  const requested = settingsChangeSchema(options.development ?? false).parse(patch);
  const current = await getProjectSettings(prisma);
  const changes = Object.fromEntries(
    Object.entries(requested).filter(([key, value]) => JSON.stringify(current[key as keyof ProjectSettings]) !== JSON.stringify(value)),
  );
  if (!Object.keys(changes).length) return current;
  await prisma.$transaction(async (tx) => {
    if (changes.password_signin_enabled === false) {
      await tx.$executeRawUnsafe(SIGN_IN_METHODS_LOCK);
      await assertSomeSignInRemains(tx, false, PASSWORD_SIGNIN_REQUIRED);
    }
    for (const [key, value] of Object.entries(changes)) {
      await tx.projectSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
    await recordAudit(tx, actor, "project_settings.updated", null, changes);
  });
  announceLocalChange("settings");
  return getProjectSettings(prisma);
}
