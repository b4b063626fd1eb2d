"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { messagesFor } from "@/lib/dashboard/app-form";
import { useFormAction } from "../dashboard/use-form-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextAreaField } from "../ui/field";

export type SaveResourceServersAction = (form: FormData) => Promise<ActionResult>;

/** The resource servers (e.g. MCP servers) the project issues access tokens for, one URI per line. */
export function ResourceServersForm({ values, issuer, save }: { values: string[]; issuer: string; save: SaveResourceServersAction }) {
  const { result, pending, hydrated, onSubmit } = useFormAction(save);
  const fields = result && !result.ok ? result.fields : undefined;

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" aria-label="Resource servers">
      <TextAreaField
        label="Resource servers"
        name="resource_servers"
        rows={4}
        mono
        spellCheck={false}
        autoCapitalize="off"
        defaultValue={values.join("\n")}
        placeholder="https://mcp.example.com/mcp"
        hint={
          <>
            One https URI per line, such as <code>https://mcp.example.com/mcp</code>. Apps may ask for tokens for these
            servers (the <code>resource</code> parameter); the token&apos;s audience is then that server. Your own API,{" "}
            <code className="break-all">{issuer}</code>, is always allowed.
          </>
        }
        errors={messagesFor(fields, "resource_servers")}
      />
      {result && !result.ok && <Alert>{result.error}</Alert>}
      {result?.ok && <Alert tone="success">Resource servers saved.</Alert>}
      <Button type="submit" disabled={pending || !hydrated} className="w-full sm:w-auto">
        {pending ? "Saving…" : "Save resource servers"}
      </Button>
    </form>
  );
}
