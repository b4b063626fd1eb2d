import { componentSchemasOf, SCHEMA } from "./openapi-components";
import { createMachineClientSchema, updateMachineClientSchema } from "../clients/machine-client-input";
import { CLIENT_TYPE_LABELS } from "../clients/policy";
import { MAX_BODY_BYTES } from "./body";
import { jwksFieldDocs } from "./openapi-key-fields";
import { machineClientListSchema, machineClientSchema, machineClientWithSecretSchema } from "./machine-client-schemas";

/**
 * The machine-client endpoints' part of the OpenAPI document
 * (lib/api/openapi.ts): paths and component schemas generated from the zod
 * schemas that validate the requests and shape the responses.
 */

const ref = (name: string) => ({ $ref: `${SCHEMA}${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const jsonContent = (schema: object) => ({ "application/json": { schema } });
const ok = (description: string, schema: string) => ({ description, content: jsonContent(ref(schema)) });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

const TAG = "Machine clients";
const auth = { "401": response("Unauthorized"), "500": response("ServerError") };
const body = { "400": response("BadRequest"), "413": response("PayloadTooLarge") };
const missing = { "404": response("NotFound") };

export const MACHINE_CLIENTS_TAG = {
  name: TAG,
  description:
    `${CLIENT_TYPE_LABELS.machine.summary} Use one instead of a connected app when no user is involved: it gets access tokens for itself ` +
    "with `grant_type=client_credentials` (`sub` = its client_id), for the resource servers and scopes granted to it here.",
};

const GRANTS_DOC =
  "Which resource servers (each one of the `resource_servers` setting, at most once) and which of their scopes the client may ask for. " +
  "Built-in scopes (openid, profile, full_access, …) concern a user and are refused. On update the list replaces the current grants as a whole.";

/** Request-field text zod cannot give: grants, status, and how the client authenticates. */
const FIELD_DOCS: Record<string, string> = {
  grants: GRANTS_DOC,
  status: "`disabled` refuses new tokens and ends the client's tokens at once; `active` again revives them.",
  token_endpoint_auth_method:
    "How the client authenticates at the token, introspection and revocation endpoints: client_secret_basic or client_secret_post (the default; its secret, by either method) " +
    "or private_key_jwt (a JWT signed with one of its keys, RFC 7523; needs jwks or jwks_uri). Created with private_key_jwt, it gets no client secret. " +
    "A client using private_key_jwt cannot authenticate with a secret, nor a secret client with a key; a secret it had stays stored, unused, until it switches back.",
  ...jwksFieldDocs("client"),
};

export function machineClientSchemas() {
  const all = componentSchemasOf(
    { MachineClient: machineClientSchema, MachineClientWithSecret: machineClientWithSecretSchema, MachineClientList: machineClientListSchema },
    { CreateMachineClient: createMachineClientSchema, UpdateMachineClient: updateMachineClientSchema },
  );
  for (const name of ["CreateMachineClient", "UpdateMachineClient"]) {
    const properties = all[name]!.properties as Record<string, Record<string, unknown>>;
    for (const [field, doc] of Object.entries(FIELD_DOCS)) properties[field]!.description = doc;
  }
  return all;
}

const rotation = (summary: string, operationId: string, result: object) => ({
  post: { summary, operationId, tags: [TAG], parameters: [param("ClientId")], responses: { "200": result, ...missing, "409": response("Conflict"), ...auth } },
});

export function machineClientPaths() {
  return {
    "/machine-clients": {
      get: {
        summary: "List machine clients, oldest first, with cursor paging",
        operationId: "listMachineClients",
        tags: [TAG],
        parameters: [param("Cursor"), param("Limit"), param("Search")],
        responses: { "200": ok("One page of machine clients", "MachineClientList"), "400": response("BadRequest"), ...auth },
      },
      post: {
        summary: "Create a machine client",
        description: `Its client secret is returned in this response only; a client created with private_key_jwt gets none (the request body is at most ${MAX_BODY_BYTES} bytes).`,
        operationId: "createMachineClient",
        tags: [TAG],
        requestBody: { required: true, content: jsonContent(ref("CreateMachineClient")) },
        responses: {
          "201": {
            description: "Created, with `client_secret` (once) unless it uses private_key_jwt.",
            headers: { Location: { description: "The machine client's URL", schema: { type: "string" } } },
            content: jsonContent({ anyOf: [ref("MachineClientWithSecret"), ref("MachineClient")] }),
          },
          ...body,
          ...auth,
        },
      },
    },
    "/machine-clients/{client_id}": {
      get: {
        summary: "Get a machine client",
        operationId: "getMachineClient",
        tags: [TAG],
        parameters: [param("ClientId")],
        responses: { "200": ok("The machine client (never its secret)", "MachineClient"), ...missing, ...auth },
      },
      patch: {
        summary: "Update a machine client: settings, status, authentication method and keys, grants",
        operationId: "updateMachineClient",
        tags: [TAG],
        parameters: [param("ClientId")],
        requestBody: { required: true, content: jsonContent(ref("UpdateMachineClient")) },
        responses: { "200": ok("The updated machine client", "MachineClient"), ...body, ...missing, ...auth },
      },
      delete: {
        summary: "Delete a machine client (its tokens stop working at once)",
        operationId: "deleteMachineClient",
        tags: [TAG],
        parameters: [param("ClientId")],
        responses: { "204": { description: "Deleted" }, ...missing, ...auth },
      },
    },
    "/machine-clients/{client_id}/secret/rotate/start": rotation(
      "Start a secret rotation: issue a second secret (returned once); both work until complete or cancel",
      "startMachineSecretRotation",
      ok("The machine client and its new secret", "MachineClientWithSecret"),
    ),
    "/machine-clients/{client_id}/secret/rotate/complete": rotation(
      "Complete a secret rotation: the new secret becomes the only one",
      "completeMachineSecretRotation",
      ok("The machine client", "MachineClient"),
    ),
    "/machine-clients/{client_id}/secret/rotate/cancel": rotation(
      "Cancel a secret rotation: discard the new secret",
      "cancelMachineSecretRotation",
      ok("The machine client", "MachineClient"),
    ),
  };
}
