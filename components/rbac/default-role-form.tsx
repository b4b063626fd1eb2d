"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { SelectField } from "../ui/field";

/** Chooses the role every new user gets, or none. */
export function DefaultRoleForm({
  roles,
  current,
  save,
}: {
  roles: readonly string[];
  current: string | null;
  save: (form: FormData) => Promise<ActionResult>;
}) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);
  const fields = result && !result.ok ? result.fields : undefined;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Default role">
      <div className="sm:max-w-sm">
        <SelectField
          label="Role for new users"
          name="default_role"
          defaultValue={current ?? ""}
          options={[...roles.map((name) => ({ value: name, label: name })), { value: "", label: "No role" }]}
          hint="Given to each user who signs up from now on. Users who already exist keep their roles."
          errors={fields?.default_role ? [fields.default_role] : []}
        />
      </div>
      {result && !result.ok && !fields?.default_role && <FormError error={result.error} messages={[]} />}
      {result?.ok && <Alert tone="success">Default role saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save default role"}
      </Button>
    </form>
  );
}
