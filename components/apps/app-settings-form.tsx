"use client";

import { useState } from "react";
import type { FullSettings } from "@/lib/clients/app-input";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { BOOLEAN_MARKER, messagesFor, unplacedMessages } from "@/lib/dashboard/app-form";
import { DEFAULT_REFRESH_REUSE_S, MAX_REFRESH_REUSE_S } from "@/lib/oauth/lifetimes";
import { Alert } from "../ui/alert";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { Button } from "../ui/button";
import { CheckboxField, Field, SelectField, TextAreaField } from "../ui/field";
import { ClientAuthFieldset, CLIENT_AUTH_FIELDS } from "./client-auth-fieldset";
import { ScopePicker, type ScopeChoice } from "./scope-picker";

/** Which settings the app's type allows (read from its policy by the page). */
export interface AllowedSettings {
  consentSkippable: boolean;
  fullAccessEligible: boolean;
  /** Its type may use the device authorization grant (RFC 8628). */
  deviceFlow: boolean;
  idTokenAlgs: readonly string[];
  redirectHint: string;
  /** Its refresh tokens rotate (public types), so the reuse interval applies. */
  refreshTokensRotate: boolean;
  /** The token endpoint authentication methods its type allows; keys are shown when private_key_jwt is one. */
  authMethods: readonly string[];
}

export type SaveAppAction = (clientId: string, form: FormData) => Promise<ActionResult>;

/**
 * Every setting the app's type allows, with each validation message from
 * lib/clients shown next to its field (`redirect_uris[i]` on the redirect
 * URI box, naming the refused URI).
 */
export function AppSettingsForm({
  clientId,
  values,
  allowed,
  scopeChoices,
  save,
}: {
  clientId: string;
  values: FullSettings;
  allowed: AllowedSettings;
  /** Scopes to pick from under the allowed-scopes box (built-in ones this type may use, and the custom ones defined). */
  scopeChoices?: { builtIn: readonly ScopeChoice[]; custom: readonly ScopeChoice[] };
  save: SaveAppAction;
}) {
  const { result, pending, hydrated, onSubmit } = useFormAction((form) => save(clientId, form));
  const [scopes, setScopes] = useState(values.allowed_scopes.join(" "));
  const fields = result && !result.ok ? result.fields : undefined;
  const errors = (name: string) => messagesFor(fields, name);

  const shown = [
    "name", "description", "logo_uri", "client_uri", "redirect_uris", "post_logout_redirect_uris",
    "allowed_scopes", "access_token_ttl_seconds", "id_token_signed_response_alg", "require_par", "require_dpop", "status",
    ...(allowed.consentSkippable ? ["skip_consent", "bypass_consent_for_offline_access"] : []),
    ...(allowed.fullAccessEligible ? ["full_access_allowed"] : []),
    ...(allowed.deviceFlow ? ["device_flow_enabled"] : []),
    ...(allowed.refreshTokensRotate ? ["refresh_token_reuse_seconds"] : []),
    ...(allowed.authMethods.includes("private_key_jwt") ? CLIENT_AUTH_FIELDS : []),
  ];
  const summary = unplacedMessages(fields, shown);

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-6" noValidate aria-label="App settings">
      <fieldset className="space-y-4">
        <legend className="mb-2 font-semibold text-slate-900">About the app</legend>
        <Field label="Name" name="name" defaultValue={values.name} maxLength={100} autoComplete="off" errors={errors("name")} />
        <TextAreaField
          label="Description (optional)"
          name="description"
          rows={2}
          defaultValue={values.description ?? ""}
          errors={errors("description")}
        />
        <Field
          label="Logo URL (optional)"
          name="logo_uri"
          required={false}
          inputMode="url"
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={values.logo_uri ?? ""}
          hint="An https URL of an image shown on the consent screen."
          errors={errors("logo_uri")}
        />
        <Field
          label="Home page URL (optional)"
          name="client_uri"
          required={false}
          inputMode="url"
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={values.client_uri ?? ""}
          hint="An https URL; its host is shown on the consent screen."
          errors={errors("client_uri")}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="mb-2 font-semibold text-slate-900">Sign-in</legend>
        <TextAreaField
          label="Redirect URIs"
          name="redirect_uris"
          rows={4}
          mono
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={values.redirect_uris.join("\n")}
          hint={allowed.redirectHint}
          errors={errors("redirect_uris")}
        />
        <TextAreaField
          label="Post-logout redirect URIs (optional)"
          name="post_logout_redirect_uris"
          rows={2}
          mono
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={values.post_logout_redirect_uris.join("\n")}
          hint="One per line; the same rules as redirect URIs."
          errors={errors("post_logout_redirect_uris")}
        />
        <CheckboxField
          label="Require pushed authorization requests"
          name="require_par"
          marker={BOOLEAN_MARKER}
          defaultChecked={values.require_par}
          hint="The app must send its sign-in request to /oauth2/par first (RFC 9126) and open the authorization page with the request_uri it got; a plain request is refused."
          errors={errors("require_par")}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="mb-2 font-semibold text-slate-900">Tokens and consent</legend>
        <Field
          label="Allowed scopes"
          name="allowed_scopes"
          required={false}
          spellCheck={false}
          autoCapitalize="off"
          value={scopes}
          onChange={(event) => setScopes(event.target.value)}
          hint={`Separated by spaces, e.g. openid profile email offline_access${scopeChoices ? ", or picked below" : ""}.`}
          errors={errors("allowed_scopes")}
        />
        {scopeChoices && <ScopePicker value={scopes} onChange={setScopes} builtIn={scopeChoices.builtIn} custom={scopeChoices.custom} />}
        <Field
          label="Access token lifetime (seconds)"
          name="access_token_ttl_seconds"
          type="number"
          inputMode="numeric"
          min={60}
          max={86400}
          step={1}
          defaultValue={values.access_token_ttl_seconds}
          hint="From 60 seconds to 86400 (24 hours). Default 3600."
          errors={errors("access_token_ttl_seconds")}
        />
        {allowed.refreshTokensRotate && (
          <Field
            label="Refresh token reuse interval (seconds)"
            name="refresh_token_reuse_seconds"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_REFRESH_REUSE_S}
            step={1}
            defaultValue={values.refresh_token_reuse_seconds}
            hint={`After a refresh, the old refresh token may be sent once more within this time (the app lost the answer) without counting as theft. 0 to ${MAX_REFRESH_REUSE_S}; default ${DEFAULT_REFRESH_REUSE_S}.`}
            errors={errors("refresh_token_reuse_seconds")}
          />
        )}
        <SelectField
          label="ID token signing algorithm"
          name="id_token_signed_response_alg"
          defaultValue={values.id_token_signed_response_alg}
          options={allowed.idTokenAlgs.map((alg) => ({ value: alg, label: alg === "HS256" ? "HS256 (with the client secret)" : alg }))}
          errors={errors("id_token_signed_response_alg")}
        />
        {allowed.consentSkippable && (
          <>
            <CheckboxField
              label="Skip the consent screen"
              name="skip_consent"
              marker={BOOLEAN_MARKER}
              defaultChecked={values.skip_consent}
              hint="Users are not asked to approve this app, unless it asks with prompt=consent or asks for offline_access they have not yet granted (see the next switch)."
              errors={errors("skip_consent")}
            />
            <CheckboxField
              label="Skip consent for offline access too"
              name="bypass_consent_for_offline_access"
              marker={BOOLEAN_MARKER}
              defaultChecked={values.bypass_consent_for_offline_access}
              hint="Without this, a request for offline_access (refresh tokens) that the user has not granted before shows the consent screen."
              errors={errors("bypass_consent_for_offline_access")}
            />
          </>
        )}
        {allowed.fullAccessEligible && (
          <CheckboxField
            label="Allow full_access"
            name="full_access_allowed"
            marker={BOOLEAN_MARKER}
            defaultChecked={values.full_access_allowed}
            hint="The app may ask for the full_access scope and exchange it for a session on this server. Add full_access to the allowed scopes as well."
            errors={errors("full_access_allowed")}
          />
        )}
        {allowed.deviceFlow && (
          <CheckboxField
            label="Enable the device flow"
            name="device_flow_enabled"
            marker={BOOLEAN_MARKER}
            defaultChecked={values.device_flow_enabled}
            hint="For CLIs and TVs without a browser: the device shows a code, the user approves it at /device (RFC 8628)."
            errors={errors("device_flow_enabled")}
          />
        )}
        <CheckboxField
          label="Require DPoP"
          name="require_dpop"
          marker={BOOLEAN_MARKER}
          defaultChecked={values.require_dpop}
          hint="Every token request must carry a DPoP proof (RFC 9449) with this server's nonce, so the app's access tokens only work with its key. Turn on only if the app's OAuth library sends DPoP proofs."
          errors={errors("require_dpop")}
        />
      </fieldset>

      {allowed.authMethods.includes("private_key_jwt") && (
        <ClientAuthFieldset values={values} methods={allowed.authMethods} noun="app" errors={errors} />
      )}

      <fieldset className="space-y-4">
        <legend className="mb-2 font-semibold text-slate-900">Status</legend>
        <SelectField
          label="Status"
          name="status"
          defaultValue={values.status}
          options={[
            { value: "active", label: "Active" },
            { value: "disabled", label: "Disabled (the app cannot be used)" },
          ]}
          errors={errors("status")}
        />
      </fieldset>

      {result && !result.ok && <FormError error={result.error} messages={summary} />}
      {result?.ok && <Alert tone="success">Settings saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
