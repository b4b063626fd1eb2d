"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/field";

export type SaveSettingsAction = (form: FormData) => Promise<ActionResult>;

/** The project's sign-up and self-registration toggles. */
export function ProjectSettingsForm({
  values,
  save,
}: {
  values: { signup_enabled: boolean; dcr_enabled: boolean; cimd_enabled: boolean };
  save: SaveSettingsAction;
}) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" aria-label="Project settings">
      <CheckboxField
        label="Sign-up"
        name="signup_enabled"
        role="switch"
        defaultChecked={values.signup_enabled}
        hint="Anyone may create an end-user account on the sign-up page. Off: the page says sign-up is closed; existing accounts sign in as before."
      />
      <CheckboxField
        label="Dynamic Client Registration"
        name="dcr_enabled"
        role="switch"
        defaultChecked={values.dcr_enabled}
        hint="Third-party developers may register apps themselves over HTTP (RFC 7591 and 7592). Apps registered this way are always third-party."
      />
      <CheckboxField
        label="Client ID Metadata Documents"
        name="cimd_enabled"
        role="switch"
        defaultChecked={values.cimd_enabled}
        hint="A client may use the https URL of a metadata document it hosts as its client ID, as MCP clients do. Such apps are always third-party: public, or confidential when they sign with a key of their own (private_key_jwt)."
      />
      {result && !result.ok && <Alert>{result.error}</Alert>}
      {result?.ok && <Alert tone="success">Settings saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
