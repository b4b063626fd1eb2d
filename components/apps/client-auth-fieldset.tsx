"use client";

import type { FullSettings } from "@/lib/clients/app-input";
import { Field, SelectField, TextAreaField } from "../ui/field";

const AUTH_METHOD_LABELS: Record<string, string> = {
  client_secret_basic: "Client secret (HTTP Basic or form)",
  client_secret_post: "Client secret (form or HTTP Basic)",
  private_key_jwt: "private_key_jwt (a JWT signed with the client's key; no secret)",
  none: "None (public app, PKCE)",
};

/** The form fields this fieldset holds (for placing messages). */
export const CLIENT_AUTH_FIELDS = ["token_endpoint_auth_method", "jwks", "jwks_uri"] as const;

/**
 * "Client authentication": the token endpoint authentication method and the
 * public keys (a pasted JWK Set or a JWK Set URL) of a confidential app or a
 * machine client; one component, so both forms send the same fields
 * (read by lib/dashboard/app-form.ts) and say the same thing.
 */
export function ClientAuthFieldset({
  values,
  methods,
  noun,
  errors,
}: {
  values: Pick<FullSettings, "token_endpoint_auth_method" | "jwks" | "jwks_uri">;
  /** The methods the client's type allows (policy table). */
  methods: readonly string[];
  /** "app" or "machine client", for the hints. */
  noun: string;
  errors: (name: string) => string[];
}) {
  return (
    <fieldset className="space-y-4">
      <legend className="mb-2 font-semibold text-slate-900">Client authentication</legend>
      <SelectField
        label="Token endpoint authentication"
        name="token_endpoint_auth_method"
        defaultValue={values.token_endpoint_auth_method}
        options={methods.map((method) => ({ value: method, label: AUTH_METHOD_LABELS[method] ?? method }))}
        hint={`A ${noun} using private_key_jwt can never authenticate with its secret, and a secret ${noun} never with a key.`}
        errors={errors("token_endpoint_auth_method")}
      />
      <TextAreaField
        label="Public keys (JWK Set, optional)"
        name="jwks"
        rows={5}
        mono
        spellCheck={false}
        autoCapitalize="off"
        defaultValue={values.jwks ? JSON.stringify(values.jwks, null, 2) : ""}
        hint='For private_key_jwt: {"keys": [ … ]} with public keys only (RSA, EC P-256 or Ed25519). Or give a JWK Set URL instead.'
        errors={errors("jwks")}
      />
      <Field
        label="JWK Set URL (optional)"
        name="jwks_uri"
        required={false}
        inputMode="url"
        spellCheck={false}
        autoCapitalize="off"
        defaultValue={values.jwks_uri ?? ""}
        hint={`For private_key_jwt: an https URL where the ${noun} publishes its public keys; fetched again when it signs with a new key.`}
        errors={errors("jwks_uri")}
      />
    </fieldset>
  );
}
