"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import type { AccessTokenAlg } from "@/lib/settings";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { SelectField } from "../ui/field";

const OPTIONS = [
  { value: "RS256", label: "RS256 (RSA): accepted everywhere" },
  { value: "ES256", label: "ES256 (P-256): smaller and cheaper to sign" },
] as const;

/** How new access tokens are signed. */
export function AccessTokenForm({ alg, save }: { alg: AccessTokenAlg; save: (form: FormData) => Promise<ActionResult> }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" aria-label="Access tokens">
      <SelectField
        label="Signing algorithm"
        name="access_token_alg"
        defaultValue={alg}
        options={OPTIONS}
        hint="Both keys are published in JWKS, so tokens already issued stay valid; only new tokens change. Choose ES256 only if every API that checks your tokens accepts it."
      />
      {result && !result.ok && <Alert>{result.error}</Alert>}
      {result?.ok && <Alert tone="success">Access-token algorithm saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save algorithm"}
      </Button>
    </form>
  );
}
