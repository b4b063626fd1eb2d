"use client";

import { useId, useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor } from "@/lib/dashboard/app-form";
import { FormError } from "../dashboard/form-error";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextAreaField } from "../ui/field";

export type Kind = "scope" | "role";
export type SaveDefinition = (form: FormData) => Promise<ActionResult<object>>;

const TEXT = {
  scope: {
    nameHint: "The scope apps request, e.g. read:invoices: letters, digits and : . _ / - (no spaces). It cannot be changed later.",
    description: "Description",
    descriptionHint: "Shown to users on the consent screen, e.g. “See your invoices”.",
    permissionsHint:
      "Separated by spaces or commas, e.g. invoices.read. A user can grant this scope only while holding all of them; none means anyone can.",
  },
  role: {
    nameHint: "e.g. accountant: letters, digits, spaces and . _ -. It cannot be changed later.",
    description: "Description (optional)",
    descriptionHint: "For owners only; users never see it.",
    permissionsHint: "Separated by spaces or commas, e.g. invoices.read invoices.pay. Users with this role hold them.",
  },
} as const;

/**
 * Creates a custom scope or a role (with a name field), or edits one (no
 * name: it is the identity apps and assignments use). lib/rbac's messages
 * are shown next to each field; the form is cleared after a creation.
 */
export function DefinitionForm({
  kind,
  initial,
  save,
  submitLabel,
  onSaved,
  onCancel,
}: {
  kind: Kind;
  /** The current values when editing; absent when creating. */
  initial?: { description: string | null; permissions: string[] };
  save: SaveDefinition;
  submitLabel: string;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const creating = !initial;
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState<string | null>(null);
  const { result, pending, hydrated, onSubmit } = useFormAction(save, (outcome) => {
    if (creating) {
      setCreated((outcome as { name?: string }).name ?? null);
      setFormKey((k) => k + 1);
    }
    onSaved?.();
  });
  const fields = result && !result.ok ? result.fields : undefined;
  const errors = (name: string) => messagesFor(fields, name);
  const unplaced = fields
    ? Object.entries(fields)
        .filter(([key]) => !["name", "description", "permissions"].some((n) => key === n || key.startsWith(`${n}[`)))
        .map(([key, message]) => `${key}: ${message}`)
    : [];
  const text = TEXT[kind];

  return (
    <form
      key={formKey}
      method="post"
      onSubmit={(event) => {
        setCreated(null);
        onSubmit(event);
      }}
      className="space-y-4"
      noValidate
      aria-label={creating ? `Create ${kind}` : `Edit ${kind}`}
    >
      {creating && (
        <Field
          id={`${id}-name`}
          label="Name"
          name="name"
          maxLength={kind === "scope" ? 100 : 64}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          hint={text.nameHint}
          errors={errors("name")}
        />
      )}
      <Field
        id={`${id}-description`}
        label={text.description}
        name="description"
        required={kind === "scope"}
        maxLength={200}
        autoComplete="off"
        defaultValue={initial?.description ?? ""}
        hint={text.descriptionHint}
        errors={errors("description")}
      />
      <TextAreaField
        id={`${id}-permissions`}
        label="Permissions"
        name="permissions"
        rows={2}
        mono
        spellCheck={false}
        autoCapitalize="off"
        defaultValue={initial?.permissions.join(" ") ?? ""}
        hint={text.permissionsHint}
        errors={errors("permissions")}
      />
      {result && !result.ok && <FormError error={result.error} messages={unplaced} />}
      {created && (
        <Alert tone="success">
          {kind === "scope" ? "Scope" : "Role"} <span className="font-mono break-all">{created}</span> created.
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel} disabled={pending} className="w-full sm:w-auto">
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
