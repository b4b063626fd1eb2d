import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { GettingStarted } from "@/components/dashboard/getting-started";
import { ActivityCard } from "@/components/dashboard/activity-card";
import { activityOf, activityPeriodSchema } from "@/lib/activity/series";
import { requireOwner } from "@/lib/auth/session";
import { firstParam, type SearchParams } from "@/lib/dashboard/paging";
import { gettingStarted, overviewCounts } from "@/lib/dashboard/overview";
import { getPrisma } from "@/lib/db";

export const metadata: Metadata = { title: "Dashboard" };

type Props = { searchParams: Promise<SearchParams> };

export default async function DashboardPage({ searchParams }: Props) {
  // Checked here too: a layout alone does not guard a page's own data.
  const owner = await requireOwner();
  const prisma = await getPrisma();
  const period = activityPeriodSchema.parse(firstParam((await searchParams).activity));
  const [{ members, owners, apps, machineClients, apiKeys }, steps, activity] = await Promise.all([
    overviewCounts(prisma, owner.id),
    gettingStarted(prisma),
    activityOf(prisma, "project", period, new Date()),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <Card
        title="Getting started"
        description={<p>From an empty server to a first token. Each step is ticked when the server sees it happen.</p>}
      >
        <GettingStarted steps={steps} />
      </Card>
      <Card title="This project">
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-3" data-testid="project-counts">
          <Count label="Connected apps" value={apps} href="/dashboard/apps" testId="app-count" />
          <Count label="Machine clients" value={machineClients} href="/dashboard/machine-clients" testId="machine-client-count" />
          <Count label="End users" value={members} href="/dashboard/users" testId="member-count" />
          <Count label="Owners" value={owners} />
          <Count label="Your API keys" value={apiKeys} href="/dashboard/api-keys" />
        </dl>
      </Card>
      <ActivityCard
        activity={activity}
        path="/dashboard"
        idPrefix="project"
        what="Every app and machine client together, with what belongs to no app: sign-ins outside an authorization request and errors sent before a client had authenticated. A deleted app's counts stay here."
      />
    </div>
  );
}

function Count({ label, value, href, testId }: { label: string; value: number; href?: string; testId?: string }) {
  return (
    <div>
      <dt className="text-slate-600">{href ? <Link href={href} className="text-brand-700 underline">{label}</Link> : label}</dt>
      <dd className="text-2xl font-semibold" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
