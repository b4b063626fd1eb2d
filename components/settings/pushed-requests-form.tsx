"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/field";

/** Whether every app must push its authorization requests first (RFC 9126). */
export function PushedRequestsForm({ requirePar, save }: { requirePar: boolean; save: (form: FormData) => Promise<ActionResult> }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" aria-label="Authorization requests">
      <CheckboxField
        label="Require pushed authorization requests"
        name="require_par"
        role="switch"
        defaultChecked={requirePar}
        hint="Every app must send its sign-in request to /oauth2/par first and open the authorization page with the request_uri it got; plain requests are refused. Check that all your apps' OAuth libraries support PAR before turning this on."
      />
      {result && !result.ok && <Alert>{result.error}</Alert>}
      {result?.ok && <Alert tone="success">Setting saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
