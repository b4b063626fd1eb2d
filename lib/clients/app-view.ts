import { Prisma, type ClientSecret, type ConnectedApp } from "../db/generated/client.ts";
import type { FullSettings } from "./app-input";
import { policyFor, type ClientType, type TokenEndpointAuthMethod } from "./policy";
import { keyIds, type ClientJwks } from "./client-jwks";

/** A connected app as the API returns it and the dashboard shows it (wire names). Never holds a secret. */
export interface AppView extends FullSettings {
  client_id: string;
  client_type: ClientType;
  is_first_party: boolean;
  is_public: boolean;
  token_endpoint_auth_methods: string[];
  creation_method: string;
  /** What identifies each registered key: its kid, else its RFC 7638 thumbprint. */
  jwks_key_ids: string[];
  /** Last four characters of the current secret (confidential types). */
  client_secret_last4: string | null;
  /** Last four of the second secret while a rotation is in progress. */
  next_client_secret_last4: string | null;
  created_at: string;
  updated_at: string;
}

export const APP_VIEW_FIELDS = [
  "client_id", "name", "description", "client_type", "is_first_party", "is_public",
  "token_endpoint_auth_methods", "redirect_uris", "post_logout_redirect_uris", "logo_uri", "client_uri",
  "allowed_scopes", "skip_consent", "bypass_consent_for_offline_access", "full_access_allowed", "device_flow_enabled",
  "access_token_ttl_seconds", "refresh_token_reuse_seconds", "require_par", "require_dpop", "id_token_signed_response_alg", "token_endpoint_auth_method", "jwks", "jwks_uri", "jwks_key_ids",
  "creation_method", "status",
  "client_secret_last4", "next_client_secret_last4", "created_at", "updated_at",
] as const satisfies readonly (keyof AppView)[];

export function settingsOf(app: ConnectedApp): FullSettings {
  return {
    name: app.name,
    description: app.description,
    redirect_uris: app.redirectUris,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    logo_uri: app.logoUri,
    client_uri: app.clientUri,
    allowed_scopes: app.allowedScopes,
    skip_consent: app.skipConsent,
    bypass_consent_for_offline_access: app.bypassConsentForOfflineAccess,
    full_access_allowed: app.fullAccessAllowed,
    device_flow_enabled: app.deviceFlowEnabled,
    access_token_ttl_seconds: app.accessTokenTtlSeconds,
    refresh_token_reuse_seconds: app.refreshTokenReuseSeconds,
    require_par: app.requirePar,
    require_dpop: app.requireDpop,
    id_token_signed_response_alg: app.idTokenSignedResponseAlg as FullSettings["id_token_signed_response_alg"],
    token_endpoint_auth_method: app.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
    // Validated (client-jwks.ts) before it was stored.
    jwks: app.jwks as unknown as ClientJwks | null,
    jwks_uri: app.jwksUri,
    status: app.status,
  };
}

/** Settings (wire names) to Prisma columns, for create and update. */
export function columnsOf(s: Partial<FullSettings>) {
  return {
    name: s.name,
    description: s.description,
    redirectUris: s.redirect_uris,
    postLogoutRedirectUris: s.post_logout_redirect_uris,
    logoUri: s.logo_uri,
    clientUri: s.client_uri,
    allowedScopes: s.allowed_scopes,
    skipConsent: s.skip_consent,
    bypassConsentForOfflineAccess: s.bypass_consent_for_offline_access,
    fullAccessAllowed: s.full_access_allowed,
    deviceFlowEnabled: s.device_flow_enabled,
    accessTokenTtlSeconds: s.access_token_ttl_seconds,
    refreshTokenReuseSeconds: s.refresh_token_reuse_seconds,
    requirePar: s.require_par,
    requireDpop: s.require_dpop,
    idTokenSignedResponseAlg: s.id_token_signed_response_alg,
    tokenEndpointAuthMethod: s.token_endpoint_auth_method,
    // Prisma's Json null is DbNull; undefined leaves the column alone.
    jwks: s.jwks === undefined ? undefined : s.jwks === null ? Prisma.DbNull : (s.jwks as unknown as Prisma.InputJsonObject),
    jwksUri: s.jwks_uri,
    status: s.status,
  };
}

export function toView(app: ConnectedApp & { secrets: Pick<ClientSecret, "slot" | "last4">[] }): AppView {
  const policy = policyFor(app.clientType);
  return {
    client_id: app.clientId,
    client_type: app.clientType,
    is_first_party: policy.ownership === "first_party",
    is_public: !policy.confidential,
    token_endpoint_auth_methods: [...policy.tokenEndpointAuthMethods],
    ...settingsOf(app),
    jwks_key_ids: keyIds(app.jwks as unknown as ClientJwks | null),
    creation_method: app.creationMethod,
    client_secret_last4: app.secrets.find((s) => s.slot === "current")?.last4 ?? null,
    next_client_secret_last4: app.secrets.find((s) => s.slot === "next")?.last4 ?? null,
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}
