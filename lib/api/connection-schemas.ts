import { z } from "zod";
import type { ConnectionView } from "../connections/connections";
import { CONNECTION_KINDS } from "../connections/presets";

/**
 * Wire schemas of the connection endpoints' responses: every connection goes
 * through `toWireConnection` (an allowlist of what leaves: never the client
 * secret) and they become OpenAPI component schemas (openapi-connections.ts).
 */
export const connectionSchema = z
  .object({
    id: z.uuid(),
    slug: z.string().meta({ description: "Names it in URLs (the redirect URI) and in the `idp` claim; fixed at creation" }),
    kind: z.enum(CONNECTION_KINDS).meta({ description: "`oidc` (any OpenID Connect provider), or a preset: `google`, `github`" }),
    name: z.string().meta({ description: "Shown on the sign-in button" }),
    level: z.enum(["project", "app"]).meta({ description: "`project`: offered to every app; `app`: only to the first-party apps in `apps`" }),
    enabled: z.boolean(),
    issuer: z.string().nullable().meta({ description: "The upstream's OpenID Connect issuer; null for GitHub (fixed endpoints)" }),
    client_id: z.string().meta({ description: "This server's client ID at the upstream" }),
    scopes: z.array(z.string()),
    allowed_email_domains: z.array(z.string()).meta({ description: "When not empty, only upstream users with an email in one of these domains may sign in" }),
    link_verified_email: z.boolean().meta({ description: "Whether a first sign-in links to an existing account with the same email, when the upstream says it is verified" }),
    apps: z.array(z.string()).meta({ description: "App-level: the client_ids of the first-party apps that offer it" }),
    redirect_uri: z.string().meta({ description: "The redirect URI to register at the upstream" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A sign-in connection: a source of users. Its client secret is write-only and never returned." });

export const connectionListSchema = z.object({ data: z.array(connectionSchema) }).meta({ description: "Every connection, oldest first" });

export type WireConnection = z.output<typeof connectionSchema>;

/** A ConnectionView as sent (parsed, so the schema is an allowlist of what leaves). */
export function toWireConnection(view: ConnectionView): WireConnection {
  return connectionSchema.parse(view);
}
