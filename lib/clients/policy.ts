import type { ClientType } from "../db/generated/enums.ts";

export type { ClientType };

/** Token endpoint authentication methods (RFC 7591 §2 names; private_key_jwt: RFC 7523 §2.2, OIDC Core §9). */
export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
export const TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const satisfies readonly TokenEndpointAuthMethod[];

/** What a client proves itself with: a shared secret, a key pair, or nothing (public clients). */
export type CredentialKind = "secret" | "key" | "none";

/**
 * The kind of credential a method uses. A client registers one method; the
 * two secret methods are one kind (either carries the same secret), while a
 * key client never falls back to a secret, nor a secret client to a key.
 */
export function credentialKind(method: TokenEndpointAuthMethod): CredentialKind {
  return method === "private_key_jwt" ? "key" : method === "none" ? "none" : "secret";
}
/** ID token signing algorithms this server can use. */
export type IdTokenAlg = "RS256" | "ES256" | "HS256";
/** Which redirect URIs a type may register (see redirect-uris.ts); "none": a type without authorization requests. */
export type RedirectUriRule = "confidential" | "public" | "none";
/** The device authorization grant's grant_type (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** Grant types of the token endpoint (RFC 6749 names, RFC 8628's URN). */
export type GrantType = "authorization_code" | "refresh_token" | "client_credentials" | typeof DEVICE_CODE_GRANT;
export type CreationMethod = "dashboard" | "api" | "dcr" | "cimd";
/** Whose app it is: the project owner's own, or another developer's. */
export type Ownership = "first_party" | "third_party";

export interface ClientPolicy {
  /** For whom its tokens act: a user who signed in and consented (a connected app), or the client itself (a machine client). */
  actsFor: "user" | "itself";
  /** What it may ask the token endpoint for; anything else is unauthorized_client. */
  grantTypes: readonly GrantType[];
  /**
   * May its owner enable the device authorization grant (RFC 8628) for it?
   * The grant is in grantTypes exactly when this holds; each app still needs
   * its own `device_flow_enabled`.
   */
  deviceFlow: boolean;
  ownership: Ownership;
  /** Can keep a secret: gets a client secret, shown once. */
  confidential: boolean;
  tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[];
  /** "required": every authorization request needs S256 PKCE; "if_started": needed when the request starts with it; "none": no authorization requests. */
  pkce: "required" | "if_started" | "none";
  redirectUris: RedirectUriRule;
  /** Refresh tokens rotate on use with replay detection (public) or slide without rotating (confidential); "none": never issued. */
  refreshTokens: "rotate_with_replay_detection" | "sliding_no_rotation" | "none";
  /** May the owner let this app skip the consent screen? */
  consentSkippable: boolean;
  /** May the app hold `full_access` and exchange it for a session? */
  fullAccessEligible: boolean;
  idTokenAlgs: readonly IdTokenAlg[];
  /** ID token profile claims: those the consented scopes name ("as_consented"), or none, sub only, the rest from UserInfo ("minimal"); "none": no ID tokens. */
  idTokenProfileClaims: "as_consented" | "minimal" | "none";
  creationMethods: readonly CreationMethod[];
  /**
   * Which sign-in connections its users may sign in with (Auth0's rule):
   * project-level ones only, or also the app-level ones the owner enabled for
   * this app; "none": no user ever signs in for it.
   */
  signInConnections: "project" | "project_and_app" | "none";
}

/**
 * The one table of per-type rules (docs/design.md, "The four client types").
 * No other module branches on a client type's name: they ask this table.
 */
export const CLIENT_POLICIES = {
  first_party: {
    actsFor: "user",
    grantTypes: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
    deviceFlow: true,
    ownership: "first_party",
    confidential: true,
    tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "if_started",
    redirectUris: "confidential",
    refreshTokens: "sliding_no_rotation",
    consentSkippable: true,
    fullAccessEligible: true,
    idTokenAlgs: ["RS256", "ES256", "HS256"],
    idTokenProfileClaims: "as_consented",
    creationMethods: ["dashboard", "api"],
    signInConnections: "project_and_app",
  },
  first_party_public: {
    actsFor: "user",
    grantTypes: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
    deviceFlow: true,
    ownership: "first_party",
    confidential: false,
    tokenEndpointAuthMethods: ["none"],
    pkce: "required",
    redirectUris: "public",
    refreshTokens: "rotate_with_replay_detection",
    consentSkippable: true,
    fullAccessEligible: true,
    idTokenAlgs: ["RS256", "ES256"],
    idTokenProfileClaims: "as_consented",
    creationMethods: ["dashboard", "api"],
    signInConnections: "project_and_app",
  },
  third_party: {
    actsFor: "user",
    grantTypes: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
    deviceFlow: true,
    ownership: "third_party",
    confidential: true,
    tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "if_started",
    redirectUris: "confidential",
    refreshTokens: "sliding_no_rotation",
    consentSkippable: false,
    fullAccessEligible: false,
    idTokenAlgs: ["RS256", "ES256", "HS256"],
    idTokenProfileClaims: "minimal",
    // A metadata document declares no secret (it is public), so a CIMD app of this type uses private_key_jwt.
    creationMethods: ["dashboard", "api", "dcr", "cimd"],
    signInConnections: "project",
  },
  third_party_public: {
    actsFor: "user",
    grantTypes: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
    deviceFlow: true,
    ownership: "third_party",
    confidential: false,
    tokenEndpointAuthMethods: ["none"],
    pkce: "required",
    redirectUris: "public",
    refreshTokens: "rotate_with_replay_detection",
    consentSkippable: false,
    fullAccessEligible: false,
    idTokenAlgs: ["RS256", "ES256"],
    idTokenProfileClaims: "minimal",
    creationMethods: ["dashboard", "api", "dcr", "cimd"],
    signInConnections: "project",
  },
  // Not a connected app: the owner's own service acting for itself (client_credentials), never for a user.
  machine: {
    actsFor: "itself",
    grantTypes: ["client_credentials"],
    deviceFlow: false,
    ownership: "first_party",
    confidential: true,
    tokenEndpointAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    pkce: "none",
    redirectUris: "none",
    refreshTokens: "none",
    consentSkippable: false,
    fullAccessEligible: false,
    idTokenAlgs: [],
    idTokenProfileClaims: "none",
    creationMethods: ["dashboard", "api"],
    signInConnections: "none",
  },
} as const satisfies Record<ClientType, ClientPolicy>;

/** Every row of the table: the connected-app types and the machine type. */
export const ALL_CLIENT_TYPES = Object.keys(CLIENT_POLICIES) as ClientType[];

/** The types of a connected app (a client acting for a user); the machine type is not one. */
export type ConnectedAppType = Exclude<ClientType, "machine">;

/**
 * The connected-app types, in the table's order: what the connected-app
 * surfaces (dashboard, API, consent, authorized apps) list and create.
 */
export const CLIENT_TYPES = ALL_CLIENT_TYPES.filter((type) => CLIENT_POLICIES[type].actsFor === "user") as ConnectedAppType[];

/** The machine type: acts for itself (policy `actsFor: "itself"`). */
export const MACHINE_TYPES = ALL_CLIENT_TYPES.filter((type) => CLIENT_POLICIES[type].actsFor === "itself");

/** Whether a client of this type is a machine client rather than a connected app. */
export function isMachineType(type: ClientType): boolean {
  return policyFor(type).actsFor === "itself";
}

export function policyFor(type: ClientType): ClientPolicy {
  return CLIENT_POLICIES[type];
}

/** The connected-app types a rule of the table holds for, in the table's order. */
export function typesWhere(rule: (policy: ClientPolicy) => boolean): ClientType[] {
  return CLIENT_TYPES.filter((type) => rule(CLIENT_POLICIES[type]));
}

// Named groups of types, for messages and documentation: the first that matches a rule's set names it.
const TYPE_GROUPS: [words: string, member: (policy: ClientPolicy) => boolean][] = [
  ["all apps", () => true],
  ["first-party apps", (p) => p.ownership === "first_party"],
  ["third-party apps", (p) => p.ownership === "third_party"],
  ["confidential apps", (p) => p.confidential],
  ["public apps", (p) => !p.confidential],
];

/**
 * The types a rule holds for, in words, so that every message and document
 * line about a rule follows the table: "first-party apps" while the rule
 * holds exactly for the first-party types (likewise third-party,
 * confidential, public), else "apps of type …" with their names.
 */
export function typesInWords(rule: (policy: ClientPolicy) => boolean): string {
  const types = typesWhere(rule);
  const key = (list: ClientType[]) => list.join(" ");
  const group = TYPE_GROUPS.find(([, member]) => key(typesWhere(member)) === key(types));
  if (group) return group[0];
  if (!types.length) return "no app";
  return `apps of type ${types.length > 1 ? `${types.slice(0, -1).join(", ")} or ${types.at(-1)}` : types[0]}`;
}

/**
 * The scopes a new app may ask for until its owner changes them, and the
 * most a self-registered app (DCR, CIMD) can register for: what a sign-in
 * needs, never full_access or the project API's scopes.
 */
export const DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/** The scope that lets an app act as the user with everything the account can do (and exchange it for a session). */
export const FULL_ACCESS = "full_access";

/** Whether a type may ever list `scope`: every scope, except full_access where the type is not eligible. */
export function scopeOfferedToType(type: ClientType, scope: string): boolean {
  return scope !== FULL_ACCESS || policyFor(type).fullAccessEligible;
}

/**
 * The full_access rule, the one place it is written: the type must be
 * eligible (policy table) and the owner must have switched it on for the
 * app. Listing the scope on the app's allowed list is a third condition,
 * checked with the other scopes.
 */
export function mayHoldFullAccess(app: { clientType: ClientType; fullAccessAllowed: boolean }): boolean {
  return policyFor(app.clientType).fullAccessEligible && app.fullAccessAllowed;
}

/** Ways a developer registers their own client (not the owner): such an app's name and logo are its own claim. */
export const SELF_REGISTRATION_METHODS = ["dcr", "cimd"] as const satisfies readonly CreationMethod[];

export function isSelfRegistration(creationMethod: string): boolean {
  return (SELF_REGISTRATION_METHODS as readonly string[]).includes(creationMethod);
}

/**
 * The type a self-registered client gets (DCR, CIMD): the one type that may
 * be created that way and authenticates with that method. Self-registration
 * only ever yields third-party types, because only they list dcr or cimd.
 */
export function selfRegisteredType(creationMethod: (typeof SELF_REGISTRATION_METHODS)[number], authMethod: TokenEndpointAuthMethod): ClientType {
  const matches = CLIENT_TYPES.filter((type) => {
    const policy = CLIENT_POLICIES[type];
    return (policy.creationMethods as readonly CreationMethod[]).includes(creationMethod) &&
      (policy.tokenEndpointAuthMethods as readonly TokenEndpointAuthMethod[]).includes(authMethod);
  });
  if (matches.length !== 1) throw new Error(`no single client type is created by ${creationMethod} with ${authMethod}`);
  return matches[0]!;
}

/** Plain-words description of each type, for the dashboard and the API docs. */
export const CLIENT_TYPE_LABELS: Record<ClientType, { title: string; summary: string; examples: string }> = {
  first_party: {
    title: "First-party, confidential",
    summary: "Your own app with a backend that can keep a secret.",
    examples: "Your web app's server, an internal service acting for a signed-in user.",
  },
  first_party_public: {
    title: "First-party, public",
    summary: "Your own app that runs on the user's device and cannot keep a secret.",
    examples: "Your mobile app, single-page app, desktop app or CLI.",
  },
  third_party: {
    title: "Third-party, confidential",
    summary: "Another developer's app with a backend that can keep a secret.",
    examples: "A partner's web integration, an automation service.",
  },
  third_party_public: {
    title: "Third-party, public",
    summary: "Another developer's app running on the user's device.",
    examples: "A partner's mobile app, an MCP client, an AI agent, a CLI.",
  },
  machine: {
    title: "Machine client",
    summary: "Your own service that calls an API for itself, with no user involved (client credentials).",
    examples: "A nightly job, a backend calling another backend, a webhook worker.",
  },
};
