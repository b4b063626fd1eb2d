import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requireOwner } from "@/lib/auth/session";
import { overviewCounts } from "@/lib/dashboard/overview";
import { getPrisma } from "@/lib/db";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  // Checked here too: a layout alone does not guard a page's own data.
  const owner = await requireOwner();
  const { members, owners, apps, machineClients, apiKeys } = await overviewCounts(await getPrisma(), owner.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card title="Connected apps">
          <p className="text-3xl font-semibold" data-testid="app-count">
            {apps}
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <LinkButton href="/dashboard/apps">Manage apps</LinkButton>
            <LinkButton href="/dashboard/apps/new" variant="secondary">
              Create app
            </LinkButton>
          </div>
        </Card>
        <Card title="Machine clients">
          <p className="text-3xl font-semibold" data-testid="machine-client-count">
            {machineClients}
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <LinkButton href="/dashboard/machine-clients">Manage machine clients</LinkButton>
          </div>
        </Card>
        <Card title="End users">
          <p className="text-3xl font-semibold" data-testid="member-count">
            {members}
          </p>
        </Card>
        <Card title="Owners">
          <p className="text-3xl font-semibold">{owners}</p>
        </Card>
        <Card title="Your API keys">
          <p className="text-3xl font-semibold">{apiKeys}</p>
          <p className="mt-4 text-sm">
            <Link href="/dashboard/api-keys" className="text-brand-700 underline">
              Manage API keys
            </Link>
          </p>
        </Card>
      </div>
    </div>
  );
}
