import { z } from "zod";
import { STANDARD_SCOPES } from "../oauth/scopes";
import { sameResource } from "../oauth/resources";
import { invalidInput } from "../domain-error";
import { fieldErrors, scopeToken, settingsShape } from "./app-input";
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
  grants: z.array(grantSchema).max(MAX_GRANTS, { error: `at most ${MAX_GRANTS} resource servers` }),
};

export const createMachineClientSchema = z.object(machineShape).partial().required({ name: true }).strict();
export const updateMachineClientSchema = z.object(machineShape).partial().strict();

export type MachineClientInput = z.output<typeof updateMachineClientSchema>;

/**
 * Parses a machine client's settings (create: `name` required; update: any
 * subset) and checks its grants against the project's resource servers:
 * each names one of them (stored in the setting's spelling), once, with
 * scopes of that API, never the built-in scopes, which are all about a user.
 */
export function parseMachineClientInput(input: unknown, resourceServers: readonly string[], creating: boolean): MachineClientInput {
  const parsed = (creating ? createMachineClientSchema : updateMachineClientSchema).safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrors(parsed.error));
  const { grants, ...settings } = parsed.data;
  if (grants === undefined) return settings;
  const fields: Record<string, string> = {};
  const resolved = grants.map((grant, i) => {
    const server = resourceServers.find((registered) => sameResource(registered, grant.resource));
    if (server === undefined) fields[`grants[${i}].resource`] = `${grant.resource} is not one of the project's resource servers (Settings)`;
    else if (grants.slice(0, i).some((other) => sameResource(other.resource, grant.resource))) fields[`grants[${i}].resource`] = `${grant.resource} is listed twice`;
    const builtIn = grant.scopes.filter((scope) => Object.hasOwn(STANDARD_SCOPES, scope));
    if (builtIn.length) fields[`grants[${i}].scopes`] = `${builtIn.join(", ")} concern a user; a machine client acts for itself`;
    return { resource: server ?? grant.resource, scopes: [...new Set(grant.scopes)] } satisfies GrantInput;
  });
  if (Object.keys(fields).length) throw invalidInput(fields);
  return { ...settings, grants: resolved };
}
