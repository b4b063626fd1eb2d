"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { OneTimeSecret } from "../dashboard/one-time-secret";
import { useFormAction } from "../dashboard/use-form-action";
import { useOneTimeSecret } from "../dashboard/use-one-time-secret";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";

export type CreateApiKeyAction = (form: FormData) => Promise<ActionResult<{ key: string; name: string }>>;

/** Creates a management-API key and shows it once (same rules as client secrets). */
export function CreateApiKeyForm({ create }: { create: CreateApiKeyAction }) {
  const router = useRouter();
  const [issued, setIssued, clearIssued] = useOneTimeSecret<{ key: string; name: string }>();
  const { result, pending, hydrated, onSubmit, reset } = useFormAction(create, (outcome) => setIssued({ key: outcome.key, name: outcome.name }));
  const [formKey, setFormKey] = useState(0);

  if (issued) {
    return (
      <OneTimeSecret
        title={`API key “${issued.name}” created: save it now`}
        what="API key"
        ifLost="revoke it and create a new one"
        values={[{ label: "API key", value: issued.key, secret: true }]}
        onContinue={() => {
          clearIssued();
          reset();
          setFormKey((k) => k + 1);
          router.replace("/dashboard/api-keys");
        }}
      />
    );
  }

  const nameErrors = result && !result.ok && result.fields?.name ? [result.fields.name] : [];
  return (
    <form key={formKey} method="post" onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Create API key">
      <Field
        label="Key name"
        name="name"
        maxLength={100}
        autoComplete="off"
        hint="What uses it, e.g. “CI deploys” or “billing sync”."
        errors={nameErrors}
      />
      {result && !result.ok && !nameErrors.length && <Alert>{result.error}</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Creating…" : "Create API key"}
      </Button>
    </form>
  );
}
