import { z } from "zod";
import { STANDARD_SCOPES } from "../oauth/scopes";
import { sameResource } from "../oauth/resources";
import { invalidInput } from "../domain-error";
import { fieldErrors, keyProblems, scopeToken, settingsShape, stripUndefined, type KeySettings } from "./app-input";
import type { GrantInput } from "./apps";

/** At most this many resource servers per machine client (the setting holds at most 20). */
const MAX_GRANTS = 20;

const grantSchema = z
  .object({
    resource: z.string().min(1, { error: "is required" }).max(2048),
    scopes: z.array(scopeToken).max(100, { error: "at most 100 scopes" }),
  })
  .strict();

/** Settings an owner may give a machine client (wire names); the rest of an app's settings mean nothing without a user. */
const machineShape = {
  name: settingsShape.name,
  description: settingsShape.description,
  access_token_ttl_seconds: settingsShape.access_token_ttl_seconds,
  status: settingsShape.status,
  // How it authenticates (a secret, or private_key_jwt with its public keys): the apps' fields and rules (keyProblems).
  token_endpoint_auth_method: settingsShape.token_endpoint_auth_method,
  jwks: settingsShape.jwks,
  jwks_uri: settingsShape.jwks_uri,
  grants: z.array(grantSchema).max(MAX_GRANTS, { error: `at most ${MAX_GRANTS} resource servers` }),
};

export const createMachineClientSchema = z.object(machineShape).partial().required({ name: true }).strict();
export const updateMachineClientSchema = z.object(machineShape).partial().strict();

export type MachineClientInput = z.output<typeof updateMachineClientSchema>;

/** What a machine-client input is checked against: the project's resource servers, and the client's key settings before the change. */
export interface MachineInputContext {
  resourceServers: readonly string[];
  /** The client's current method and keys (a new client: the defaults); the change must leave them valid together. */
  current: KeySettings;
  creating: boolean;
}

/**
 * Parses a machine client's settings (create: `name` required; update: any
 * subset), checks the method and keys merged over the current ones as an
 * app's are (keyProblems), and checks its grants against the project's
 * resource servers: each names one of them (stored in the setting's
 * spelling), once, with scopes of that API, never the built-in scopes,
 * which are all about a user.
 */
export function parseMachineClientInput(input: unknown, { resourceServers, current, creating }: MachineInputContext): MachineClientInput {
  const parsed = (creating ? createMachineClientSchema : updateMachineClientSchema).safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrors(parsed.error));
  const { grants, ...settings } = parsed.data;
  const fields: Record<string, string> = keyProblems("machine", { ...current, ...stripUndefined(settings) });
  const resolved = grants && resolveGrants(grants, resourceServers, fields);
  if (Object.keys(fields).length) throw invalidInput(fields);
  return resolved ? { ...settings, grants: resolved } : settings;
}

/** The grants in the setting's spelling; each problem goes into `fields` under `grants[i].…`. */
function resolveGrants(grants: GrantInput[], resourceServers: readonly string[], fields: Record<string, string>): GrantInput[] {
  return grants.map((grant, i) => {
    const server = resourceServers.find((registered) => sameResource(registered, grant.resource));
    if (server === undefined) fields[`grants[${i}].resource`] = `${grant.resource} is not one of the project's resource servers (Settings)`;
    else if (grants.slice(0, i).some((other) => sameResource(other.resource, grant.resource))) fields[`grants[${i}].resource`] = `${grant.resource} is listed twice`;
    const builtIn = grant.scopes.filter((scope) => Object.hasOwn(STANDARD_SCOPES, scope));
    if (builtIn.length) fields[`grants[${i}].scopes`] = `${builtIn.join(", ")} concern a user; a machine client acts for itself`;
    return { resource: server ?? grant.resource, scopes: [...new Set(grant.scopes)] };
  });
}
