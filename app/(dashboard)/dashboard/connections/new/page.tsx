import type { Metadata } from "next";
import Link from "next/link";
import { CreateConnection } from "@/components/connections/create-connection";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { appLevelConnectionChoices } from "@/lib/connections/app-choices";
import { getPrisma } from "@/lib/db";
import { createConnectionAction } from "../actions";

export const metadata: Metadata = { title: "Add connection" };

export default async function NewConnectionPage() {
  await requireOwner("/dashboard/connections/new");
  const apps = await appLevelConnectionChoices(await getPrisma());
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/dashboard/connections" className="text-sm text-brand-700 underline">
          ← All connections
        </Link>
        <h1 className="text-2xl font-semibold">Add connection</h1>
      </div>
      <Card>
        <CreateConnection apps={apps} create={createConnectionAction} />
      </Card>
    </div>
  );
}
