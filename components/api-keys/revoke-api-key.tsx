"use client";

import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";

export type RevokeApiKeyAction = (id: string) => Promise<ActionResult>;

/** Revoking a key, after a confirmation step. */
export function RevokeApiKey({ id, name, revoke }: { id: string; name: string; revoke: RevokeApiKeyAction }) {
  return (
    <ConfirmAction
      trigger="Revoke"
      title={`Revoke the key “${name}”?`}
      confirmLabel="Yes, revoke it"
      confirmVariant="danger"
      onConfirm={async () => {
        const result = await revoke(id);
        return result.ok ? null : result.error;
      }}
    >
      <p>Anything using this key is refused from now on. This cannot be undone; create a new key if you need one.</p>
    </ConfirmAction>
  );
}
