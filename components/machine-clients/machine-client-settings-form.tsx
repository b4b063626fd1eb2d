"use client";

import type { FullSettings } from "@/lib/clients/app-input";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor, unplacedMessages } from "@/lib/dashboard/app-form";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, SelectField, TextAreaField } from "../ui/field";
import { ClientAuthFieldset, CLIENT_AUTH_FIELDS } from "../apps/client-auth-fieldset";
import { GrantsFieldset } from "./grants-fieldset";

const SHOWN_FIELDS = ["name", "description", "access_token_ttl_seconds", "status", "grants", ...CLIENT_AUTH_FIELDS] as const;

export interface MachineClientValues extends Pick<FullSettings, "token_endpoint_auth_method" | "jwks" | "jwks_uri"> {
  name: string;
  description: string | null;
  access_token_ttl_seconds: number;
  status: "active" | "disabled";
  grants: { resource: string; scopes: string[] }[];
}

/** A machine client's settings, client authentication (the apps' fieldset) and grants, saved together. */
export function MachineClientSettingsForm({
  clientId,
  values,
  authMethods,
  resourceServers,
  save,
}: {
  clientId: string;
  values: MachineClientValues;
  /** The methods the machine type allows (policy table). */
  authMethods: readonly string[];
  resourceServers: readonly string[];
  save: (clientId: string, form: FormData) => Promise<ActionResult>;
}) {
  const { result, pending, hydrated, onSubmit } = useFormAction((form: FormData) => save(clientId, form));
  const fields = result && !result.ok ? result.fields : undefined;
  // Granted resource servers the owner has since removed from Settings stay visible until saved away.
  const servers = [...resourceServers, ...values.grants.map((g) => g.resource).filter((r) => !resourceServers.includes(r))];
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-6" noValidate>
      <Field label="Name" name="name" maxLength={100} defaultValue={values.name} errors={messagesFor(fields, "name")} />
      <TextAreaField label="Description (optional)" name="description" rows={2} maxLength={1000} defaultValue={values.description ?? ""} errors={messagesFor(fields, "description")} />
      <Field
        label="Access token lifetime (seconds)"
        name="access_token_ttl_seconds"
        inputMode="numeric"
        defaultValue={String(values.access_token_ttl_seconds)}
        hint="60 to 86400. Resource servers that verify tokens offline see a disabled client only when its tokens expire."
        errors={messagesFor(fields, "access_token_ttl_seconds")}
      />
      <SelectField
        label="Status"
        name="status"
        defaultValue={values.status}
        options={[
          { value: "active", label: "Active" },
          { value: "disabled", label: "Disabled: no new tokens, and its tokens introspect as inactive" },
        ]}
        errors={messagesFor(fields, "status")}
      />
      <ClientAuthFieldset values={values} methods={authMethods} noun="machine client" errors={(name) => messagesFor(fields, name)} />
      <GrantsFieldset resourceServers={servers} grants={values.grants} fields={fields} />
      {result?.ok && <Alert tone="success">Saved.</Alert>}
      {result && !result.ok && <FormError error={result.error} messages={unplacedMessages(fields, SHOWN_FIELDS)} />}
      <Button type="submit" disabled={pending || !hydrated}>
        {pending ? "Saving…" : "Save changes"}
      </Button>
    </form>
  );
}
