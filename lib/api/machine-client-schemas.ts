import { z } from "zod";
import type { MachineClientView } from "../clients/machine-clients";
import { AppStatus } from "../db/generated/enums.ts";
import { CLIENT_POLICIES } from "../clients/policy";
import { clientJwksSchema, JWKS_KEY_IDS_DOC } from "./schemas";

// The machine row of the policy table (a tuple there, so an enum here).
const authMethods = CLIENT_POLICIES.machine.tokenEndpointAuthMethods;

/**
 * Wire schemas of the machine-client endpoints' responses: they type the
 * responses (every client goes through `toWireMachineClient`) and become
 * OpenAPI component schemas (openapi-machine-clients.ts).
 */

export const clientGrantSchema = z
  .object({
    resource: z.string().meta({ description: "A resource server of the project (the `resource_servers` setting); the token's `aud`" }),
    scopes: z.array(z.string()).meta({ description: "The scopes of that resource server the client may ask for" }),
  })
  .meta({ description: "The client's authorization for one resource server (a client grant)" });

export const machineClientSchema = z
  .object({
    client_id: z.string().meta({ description: "Public identifier (`ca_` + 128 random bits)" }),
    name: z.string(),
    description: z.string().nullable(),
    token_endpoint_auth_methods: z.array(z.enum(authMethods)).meta({ description: "The methods a machine client may use" }),
    token_endpoint_auth_method: z.enum(authMethods).meta({
      description: "The one it uses: its secret (client_secret_basic or client_secret_post, either works) or private_key_jwt; a secret client never authenticates with a key, nor a key client with a secret",
    }),
    jwks: clientJwksSchema.nullable().meta({ description: "private_key_jwt: the client's public keys (JWK Set)" }),
    jwks_uri: z.string().nullable().meta({ description: "private_key_jwt: where the client publishes its public keys (https)" }),
    jwks_key_ids: z.array(z.string()).meta({ description: JWKS_KEY_IDS_DOC }),
    grants: z.array(clientGrantSchema),
    access_token_ttl_seconds: z.int(),
    status: z.enum(AppStatus).meta({ description: "`disabled`: no new tokens, and its tokens introspect as inactive at once" }),
    client_secret_last4: z.string().nullable().meta({ description: "Last four characters of the current secret; null for a client created with private_key_jwt" }),
    next_client_secret_last4: z.string().nullable().meta({ description: "Last four characters of the second secret while a rotation is in progress" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ description: "A machine client: gets tokens for itself with client_credentials, never for a user. Never holds a secret." });

export const machineClientWithSecretSchema = machineClientSchema
  .extend({ client_secret: z.string().meta({ description: "The new client secret. Shown only in this response; store it now." }) })
  .meta({ description: "A machine client and its new client secret (shown once)" });

export const machineClientListSchema = z
  .object({
    data: z.array(machineClientSchema),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .meta({ description: "One page of machine clients, oldest first" });

export type WireMachineClient = z.output<typeof machineClientSchema>;

/** A MachineClientView as sent (parsed, so the schema is an allowlist of what leaves). */
export function toWireMachineClient(view: MachineClientView): WireMachineClient {
  return machineClientSchema.parse(view);
}

/** A created client or a started rotation: with its new secret, this once; a private_key_jwt client created without one, as it is. */
export function toWireMachineClientWithSecret(view: MachineClientView, clientSecret: string | null): WireMachineClient | z.output<typeof machineClientWithSecretSchema> {
  const client = toWireMachineClient(view);
  return clientSecret === null ? client : { ...client, client_secret: clientSecret };
}
