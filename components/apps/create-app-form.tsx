"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor, unplacedMessages } from "@/lib/dashboard/app-form";
import { OneTimeSecret } from "../dashboard/one-time-secret";
import { useFormAction } from "../dashboard/use-form-action";
import { useOneTimeSecret } from "../dashboard/use-one-time-secret";
import { FormError } from "../dashboard/form-error";
import { Button } from "../ui/button";
import { Field, TextAreaField } from "../ui/field";

/** One client type as the chooser shows it (built from the policy table by the page). */
export interface TypeOption {
  type: string;
  title: string;
  summary: string;
  examples: string;
  facts: string[];
  redirectHint: string;
}

export type CreateAppAction = (form: FormData) => Promise<ActionResult<{ clientId: string; clientSecret: string | null }>>;

const SHOWN_FIELDS = ["client_type", "name", "description", "redirect_uris"] as const;

/**
 * The "Create app" flow: choose one of the four types, name it, list its
 * redirect URIs. A confidential app's secret comes back from the server
 * action into this component's state only and is shown once; "Continue"
 * replaces this history entry with the app's page.
 */
export function CreateAppForm({
  options,
  defaultType,
  columnHeadings,
  createApp,
}: {
  options: TypeOption[];
  defaultType: string;
  columnHeadings: [string, string];
  createApp: CreateAppAction;
}) {
  const router = useRouter();
  const [type, setType] = useState(defaultType);
  const [created, setCreated, clearCreated] = useOneTimeSecret<{ clientId: string; clientSecret: string }>();
  const [leaving, setLeaving] = useState(false);
  const { result, pending, hydrated, onSubmit } = useFormAction(createApp, (outcome) => {
    if (outcome.clientSecret) setCreated({ clientId: outcome.clientId, clientSecret: outcome.clientSecret });
    else {
      setLeaving(true);
      router.replace(`/dashboard/apps/${encodeURIComponent(outcome.clientId)}?created=1`);
    }
  });
  const chosen = options.find((o) => o.type === type) ?? options[0]!;
  const fields = result && !result.ok ? result.fields : undefined;

  function onContinue() {
    if (!created) return;
    const path = `/dashboard/apps/${encodeURIComponent(created.clientId)}?created=1`;
    setLeaving(true);
    clearCreated();
    router.replace(path);
  }

  if (leaving) return <p className="text-sm text-slate-600">Opening the app…</p>;

  if (created) {
    return (
      <OneTimeSecret
        title="App created: save its client secret now"
        what="client secret"
        ifLost={"rotate the secret on the app's page"}
        values={[
          { label: "Client ID", value: created.clientId, secret: false },
          { label: "Client secret", value: created.clientSecret, secret: true },
        ]}
        onContinue={onContinue}
      />
    );
  }

  const summary = fields ? unplacedMessages(fields, SHOWN_FIELDS) : [];
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-6" noValidate>
      <fieldset className="space-y-3">
        <legend className="mb-1 text-lg font-semibold">1. Choose the app type</legend>
        <p className="text-sm text-slate-600">
          Two questions decide the type. <strong>Whose app is it?</strong> First-party apps are yours; third-party apps
          are built by other developers. <strong>Can it keep a secret?</strong> Confidential apps run on a server you
          control; public apps run on the user&apos;s device, where anything they contain can be read. The type cannot be
          changed later.
        </p>
        <div className="grid gap-3 sm:grid-cols-2">
          <p aria-hidden="true" className="hidden text-xs font-semibold tracking-wide text-slate-500 uppercase sm:block">
            {columnHeadings[0]}
          </p>
          <p aria-hidden="true" className="hidden text-xs font-semibold tracking-wide text-slate-500 uppercase sm:block">
            {columnHeadings[1]}
          </p>
          {options.map((option) => (
            <label
              key={option.type}
              className="flex cursor-pointer gap-3 rounded-xl border border-slate-200 bg-surface p-4 shadow-sm has-checked:border-brand-600 has-checked:ring-2 has-checked:ring-brand-600/30 has-focus-visible:ring-2 has-focus-visible:ring-brand-600"
            >
              <input
                type="radio"
                name="client_type"
                value={option.type}
                checked={type === option.type}
                onChange={() => setType(option.type)}
                aria-labelledby={`type-${option.type}-title`}
                aria-describedby={`type-${option.type}-description`}
                className="mt-1 size-4 shrink-0 accent-brand-600"
              />
              <span className="min-w-0 space-y-1">
                <span id={`type-${option.type}-title`} className="block font-semibold text-slate-900">
                  {option.title}
                </span>
                <span id={`type-${option.type}-description`} className="block space-y-1 text-sm text-slate-600">
                  <span className="block">{option.summary}</span>
                  <span className="block text-slate-500">For example: {option.examples}</span>
                </span>
                <span className="mt-2 block space-y-0.5 text-xs text-slate-600">
                  {option.facts.map((fact) => (
                    <span key={fact} className="block">
                      • {fact}
                    </span>
                  ))}
                </span>
              </span>
            </label>
          ))}
        </div>
        {messagesFor(fields, "client_type").map((message) => (
          <p key={message} className="text-sm text-red-700">
            App type: {message}
          </p>
        ))}
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="mb-1 text-lg font-semibold">2. Describe the app</legend>
        <Field label="Name" name="name" maxLength={100} autoComplete="off" hint="Users see it on the consent screen." errors={messagesFor(fields, "name")} />
        <TextAreaField
          label="Description (optional)"
          name="description"
          rows={2}
          maxLength={1000}
          errors={messagesFor(fields, "description")}
        />
        <TextAreaField
          label="Redirect URIs"
          name="redirect_uris"
          rows={3}
          mono
          spellCheck={false}
          autoCapitalize="off"
          hint={`${chosen.redirectHint} You can add them later.`}
          errors={messagesFor(fields, "redirect_uris")}
        />
      </fieldset>

      {result && !result.ok && <FormError error={result.error} messages={summary} />}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Creating…" : "Create app"}
      </Button>
    </form>
  );
}
