"use server";

import { redirect, RedirectType } from "next/navigation";
import {
  cancelMachineSecretRotation,
  completeMachineSecretRotation,
  deleteMachineClient,
  startMachineSecretRotation,
  updateMachineClient,
} from "@/lib/clients/machine-clients";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { machineInputFromForm } from "@/lib/dashboard/machine-client-form";
import { ownerAction, type OwnerContext } from "@/lib/dashboard/server-actions";

const returnTo = (clientId: string) => `/dashboard/machine-clients/${encodeURIComponent(String(clientId))}`;
const UNKNOWN = failure("This machine client no longer exists. It may have been deleted.");

/** An action on one machine client: its page to come back to, the client_id checked. */
function clientAction<T extends object>(clientId: string, run: (owner: OwnerContext, clientId: string) => Promise<T | ReturnType<typeof failure>>) {
  return ownerAction<T>(returnTo(clientId), async (owner) => (typeof clientId === "string" ? run(owner, clientId) : UNKNOWN), appErrorResult);
}

export async function updateMachineClientAction(clientId: string, form: FormData): Promise<ActionResult> {
  return clientAction(clientId, async ({ prisma, actor }, id) => {
    if (!(form instanceof FormData)) return UNKNOWN;
    const { input, fields } = machineInputFromForm(form);
    if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
    await updateMachineClient(prisma, actor, id, input);
    return {};
  });
}

/** Starts a rotation; the new secret is returned once, to the calling component only. */
export async function startMachineRotationAction(clientId: string): Promise<ActionResult<{ clientSecret: string }>> {
  return clientAction(clientId, async ({ prisma, actor }, id) => ({ clientSecret: (await startMachineSecretRotation(prisma, actor, id)).clientSecret }));
}

export async function completeMachineRotationAction(clientId: string): Promise<ActionResult> {
  return clientAction(clientId, async ({ prisma, actor }, id) => {
    await completeMachineSecretRotation(prisma, actor, id);
    return {};
  });
}

export async function cancelMachineRotationAction(clientId: string): Promise<ActionResult> {
  return clientAction(clientId, async ({ prisma, actor }, id) => {
    await cancelMachineSecretRotation(prisma, actor, id);
    return {};
  });
}

/** Deletes it and goes to the list, replacing this history entry. */
export async function deleteMachineClientAction(clientId: string): Promise<ActionResult> {
  return clientAction(clientId, async ({ prisma, actor }, id) => {
    await deleteMachineClient(prisma, actor, id);
    redirect("/dashboard/machine-clients?notice=deleted", RedirectType.replace);
  });
}
