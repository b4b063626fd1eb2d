"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor, unplacedMessages } from "@/lib/dashboard/app-form";
import { OneTimeSecret } from "../dashboard/one-time-secret";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { useOneTimeSecret } from "../dashboard/use-one-time-secret";
import { Button } from "../ui/button";
import { Field, TextAreaField } from "../ui/field";
import { GrantsFieldset } from "./grants-fieldset";

export type CreateMachineClientAction = (form: FormData) => Promise<ActionResult<{ clientId: string; clientSecret: string | null }>>;

const SHOWN_FIELDS = ["name", "description", "grants"] as const;

/** "Create machine client": name, grants; the secret comes back once and is shown here only. */
export function CreateMachineClientForm({ resourceServers, create }: { resourceServers: readonly string[]; create: CreateMachineClientAction }) {
  const router = useRouter();
  const [created, setCreated, clearCreated] = useOneTimeSecret<{ clientId: string; clientSecret: string }>();
  const [leaving, setLeaving] = useState(false);
  const open = (clientId: string) => {
    setLeaving(true);
    clearCreated();
    router.replace(`/dashboard/machine-clients/${encodeURIComponent(clientId)}?created=1`);
  };
  // A client created with private_key_jwt has no secret to show: straight to its page.
  const { result, pending, hydrated, onSubmit } = useFormAction(create, ({ clientId, clientSecret }) =>
    clientSecret === null ? open(clientId) : setCreated({ clientId, clientSecret }),
  );
  const fields = result && !result.ok ? result.fields : undefined;

  if (leaving) return <p className="text-sm text-slate-600">Opening the machine client…</p>;
  if (created) {
    return (
      <OneTimeSecret
        title="Machine client created: save its client secret now"
        what="client secret"
        ifLost="rotate the secret on the machine client's page"
        values={[
          { label: "Client ID", value: created.clientId, secret: false },
          { label: "Client secret", value: created.clientSecret, secret: true },
        ]}
        onContinue={() => open(created.clientId)}
      />
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-6" noValidate>
      <Field label="Name" name="name" maxLength={100} autoComplete="off" hint="Shown in the dashboard and the audit log." errors={messagesFor(fields, "name")} />
      <TextAreaField label="Description (optional)" name="description" rows={2} maxLength={1000} errors={messagesFor(fields, "description")} />
      <GrantsFieldset resourceServers={resourceServers} grants={[]} fields={fields} />
      {result && !result.ok && <FormError error={result.error} messages={unplacedMessages(fields, SHOWN_FIELDS)} />}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Creating…" : "Create machine client"}
      </Button>
    </form>
  );
}
