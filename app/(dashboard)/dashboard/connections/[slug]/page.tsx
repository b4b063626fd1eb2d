import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteApp } from "@/components/apps/delete-app";
import { ConnectionForm } from "@/components/connections/connection-form";
import { CopyableRow } from "@/components/dashboard/copyable-row";
import { DateTime } from "@/components/dashboard/date-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { appLevelConnectionChoices } from "@/lib/connections/app-choices";
import { getConnection } from "@/lib/connections/connections";
import { PRESETS } from "@/lib/connections/presets";
import { getPrisma } from "@/lib/db";
import { deleteConnectionAction, updateConnectionAction } from "./actions";

export const metadata: Metadata = { title: "Connection" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConnectionPage({ params, searchParams }: Props) {
  const { slug } = await params;
  await requireOwner(`/dashboard/connections/${encodeURIComponent(slug)}`);
  const prisma = await getPrisma();
  const [connection, apps] = await Promise.all([getConnection(prisma, getConfig().issuer, slug), appLevelConnectionChoices(prisma)]);
  if (!connection) notFound();
  const { created } = await searchParams;

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/dashboard/connections" className="text-sm text-brand-700 underline">
          ← All connections
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold break-words">{connection.name}</h1>
          <Badge tone="brand">{PRESETS[connection.kind].label}</Badge>
          {!connection.enabled && <Badge tone="red">Disabled</Badge>}
        </div>
        <p className="text-sm text-slate-500">
          Created <DateTime value={connection.created_at} /> · updated <DateTime value={connection.updated_at} />
        </p>
      </div>
      {created === "1" && <Alert tone="success">Connection added. Register the redirect URI below at the provider.</Alert>}

      <Card title="At the provider">
        <dl className="space-y-4 text-sm">
          <CopyableRow
            label="Redirect URI"
            value={connection.redirect_uri}
            copyLabel="Copy redirect URI"
            testId="redirect-uri"
            hint="Register it at the provider as this client's redirect (callback) URI."
          />
        </dl>
      </Card>

      <Card title="Settings">
        <ConnectionForm mode="edit" values={connection} apps={apps} submit={updateConnectionAction.bind(null, connection.slug)} />
      </Card>

      <Card title="Delete connection">
        <DeleteApp
          clientId={connection.slug}
          name={connection.name}
          noun="connection"
          consequence="People who signed in with it keep their accounts, but can no longer sign in this way."
          remove={deleteConnectionAction}
        />
      </Card>
    </div>
  );
}
