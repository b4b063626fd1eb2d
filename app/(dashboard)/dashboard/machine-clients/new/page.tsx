import type { Metadata } from "next";
import Link from "next/link";
import { CreateMachineClientForm } from "@/components/machine-clients/create-machine-client-form";
import { WhenToUseMachineClients } from "@/components/machine-clients/when-to-use";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { getProjectSettings } from "@/lib/settings";
import { createMachineClientAction } from "../actions";

export const metadata: Metadata = { title: "Create machine client" };

export default async function NewMachineClientPage() {
  await requireOwner("/dashboard/machine-clients/new");
  const { resource_servers } = await getProjectSettings(await getPrisma());
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/dashboard/machine-clients" className="text-sm text-brand-700 underline">
          ← All machine clients
        </Link>
        <h1 className="text-2xl font-semibold">Create machine client</h1>
      </div>
      <Card>
        <WhenToUseMachineClients />
      </Card>
      <Card>
        <CreateMachineClientForm resourceServers={resource_servers} create={createMachineClientAction} />
      </Card>
    </div>
  );
}
