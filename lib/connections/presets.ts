/** The kinds of sign-in connection: generic OpenID Connect, and presets built on the same flow. */
export const CONNECTION_KINDS = ["oidc", "google", "github"] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export interface Preset {
  label: string;
  /** "oidc": discovery, an ID token verified against the upstream's keys; "oauth2": an access token and the provider's user API (GitHub has no ID token). */
  protocol: "oidc" | "oauth2";
  /** The issuer: the owner's (generic OpenID Connect), fixed by the preset, or none (OAuth 2.0 only). */
  issuer: "owner" | string | null;
  defaultScopes: readonly string[];
  /** OAuth 2.0 presets: where to send the user, where to redeem the code, where to read the user. */
  endpoints?: { authorization: string; token: string; user: string; emails: string };
}

/** One row per kind; the sign-in flow and the forms ask this table, never the kind's name. */
export const PRESETS = {
  oidc: { label: "OpenID Connect", protocol: "oidc", issuer: "owner", defaultScopes: ["openid", "email", "profile"] },
  google: { label: "Google", protocol: "oidc", issuer: "https://accounts.google.com", defaultScopes: ["openid", "email", "profile"] },
  github: {
    label: "GitHub",
    protocol: "oauth2",
    issuer: null,
    defaultScopes: ["read:user", "user:email"],
    endpoints: {
      authorization: "https://github.com/login/oauth/authorize",
      token: "https://github.com/login/oauth/access_token",
      user: "https://api.github.com/user",
      emails: "https://api.github.com/user/emails",
    },
  },
} as const satisfies Record<ConnectionKind, Preset>;
