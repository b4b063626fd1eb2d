"use client";

import { useState } from "react";
import type { AppChoice } from "@/lib/connections/app-choices";
import type { ConnectionView } from "@/lib/connections/connections";
import { CONNECTION_KINDS, PRESETS, type ConnectionKind } from "@/lib/connections/presets";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor, unplacedMessages } from "@/lib/dashboard/app-form";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField, Field, TextAreaField } from "../ui/field";

export type ConnectionFormAction<T extends object = object> = (form: FormData) => Promise<ActionResult<T>>;

const SHOWN_FIELDS = ["kind", "slug", "name", "issuer", "client_id", "client_secret", "scopes", "allowed_email_domains", "link_verified_email", "level", "apps", "enabled"];

type Props<T extends object> =
  | { mode: "create"; values?: undefined; apps: readonly AppChoice[]; submit: ConnectionFormAction<T>; onSaved: (result: T) => void }
  | { mode: "edit"; values: ConnectionView; apps: readonly AppChoice[]; submit: ConnectionFormAction<T>; onSaved?: undefined };

/**
 * A sign-in connection's settings. Creating: choose the kind first (its
 * fields follow the presets table: an issuer only for generic OpenID
 * Connect). Editing: the kind and slug are fixed, and a blank client secret
 * keeps the stored one (it is never shown).
 */
export function ConnectionForm<T extends object>({ mode, values, apps, submit, onSaved }: Props<T>) {
  const [kind, setKind] = useState<ConnectionKind>(values?.kind ?? "oidc");
  const [level, setLevel] = useState<"project" | "app">(values?.level ?? "project");
  const { result, pending, hydrated, onSubmit } = useFormAction(submit, (outcome) => onSaved?.(outcome));
  const fields = result && !result.ok ? result.fields : undefined;
  const preset = PRESETS[kind];
  const errors = (name: string) => messagesFor(fields, name);

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" noValidate aria-label={mode === "create" ? "New connection" : "Connection settings"}>
      {mode === "create" && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">Kind</legend>
          <div className="flex flex-wrap gap-2">
            {CONNECTION_KINDS.map((k) => (
              <label key={k} className="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-2 text-sm has-checked:border-brand-600 has-checked:bg-brand-50">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="accent-brand-600" />
                {PRESETS[k].label}
              </label>
            ))}
          </div>
          <p className="text-xs text-slate-500">
            OpenID Connect works with any provider that publishes a discovery document: Okta, Entra ID, Google Workspace, Keycloak…
          </p>
        </fieldset>
      )}
      {/* Keyed by kind: choosing another kind starts its fields from that kind's defaults. */}
      <div key={kind} className="space-y-5">
        <Field label="Name" name="name" maxLength={60} autoComplete="off" defaultValue={values?.name ?? (kind === "oidc" ? "" : preset.label)} hint="On the sign-in button: “Continue with …”." errors={errors("name")} />
        {mode === "create" && (
          <Field
            label="Slug"
            name="slug"
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            defaultValue={kind === "oidc" ? "" : kind}
            hint="Lower-case letters, digits and -. It is part of the redirect URI you register at the provider, so it cannot change later."
            errors={errors("slug")}
          />
        )}
        {preset.issuer === "owner" && (
          <Field label="Issuer URL" name="issuer" type="url" autoComplete="off" spellCheck={false} defaultValue={values?.issuer ?? ""} hint="The provider's issuer, e.g. https://your-org.okta.com (its discovery document is read from there)." errors={errors("issuer")} />
        )}
        <Field label="Client ID" name="client_id" autoComplete="off" spellCheck={false} defaultValue={values?.client_id ?? ""} hint="The client ID the provider gave this server." errors={errors("client_id")} />
        <Field
          label={mode === "create" ? "Client secret" : "Replace client secret"}
          name="client_secret"
          type="password"
          autoComplete="new-password"
          required={mode === "create"}
          hint={mode === "create" ? "Stored encrypted; it is never shown again." : "Leave blank to keep the current secret. It is stored encrypted and never shown."}
          errors={errors("client_secret")}
        />
        <Field label="Scopes" name="scopes" autoComplete="off" spellCheck={false} defaultValue={(values?.scopes ?? preset.defaultScopes).join(" ")} hint="Separated by spaces." errors={errors("scopes")} />
        <TextAreaField
          label="Allowed email domains (optional)"
          name="allowed_email_domains"
          rows={2}
          mono
          defaultValue={values?.allowed_email_domains.join("\n") ?? ""}
          hint="One per line. When set, only people whose email is in one of these domains may sign in with this connection."
          errors={errors("allowed_email_domains")}
        />
        <CheckboxField
          label="Link to an existing account with the same verified email"
          name="link_verified_email"
          defaultChecked={values?.link_verified_email ?? false}
          hint="Only when the provider says the email is verified. Turn this on only for a provider you trust to verify emails: whoever controls the account there then signs in to the existing account here. Off: never linked, whatever the provider says."
          errors={errors("link_verified_email")}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Offered to</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="level" value="project" checked={level === "project"} onChange={() => setLevel("project")} className="mt-1 accent-brand-600" />
          <span>Every app (project-level)</span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="level" value="app" checked={level === "app"} onChange={() => setLevel("app")} className="mt-1 accent-brand-600" />
          <span>Only the first-party apps I choose (app-level; third-party apps never offer it)</span>
        </label>
        {messagesFor(fields, "level").map((m) => (
          <p key={m} className="text-sm text-red-700">
            {m}
          </p>
        ))}
      </fieldset>
      {level === "app" && (
        <fieldset className="space-y-2" aria-label="First-party apps">
          <legend className="text-sm font-medium text-slate-700">First-party apps</legend>
          {apps.length === 0 ? (
            <p className="text-sm text-slate-600">No first-party apps yet. Create one first, or offer this connection to every app.</p>
          ) : (
            apps.map((app) => (
              <CheckboxField key={app.clientId} id={`app-${app.clientId}`} label={app.name} name="apps" value={app.clientId} defaultChecked={values?.apps.includes(app.clientId) ?? false} hint={app.clientId} />
            ))
          )}
          {errors("apps").map((m) => (
            <p key={m} className="text-sm text-red-700">
              {m}
            </p>
          ))}
        </fieldset>
      )}
      <CheckboxField label="Enabled" name="enabled" defaultChecked={values?.enabled ?? true} hint="A disabled connection is offered nowhere; its users keep their accounts." />
      {result && !result.ok && <FormError error={result.error} messages={unplacedMessages(fields, SHOWN_FIELDS)} />}
      {result?.ok && mode === "edit" && <Alert tone="success">Connection saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {mode === "create" ? (pending ? "Adding…" : "Add connection") : pending ? "Saving…" : "Save connection"}
      </Button>
    </form>
  );
}
