import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppSecretPanel } from "@/components/apps/app-secret-panel";
import { ClientKeyRows, KeyAuthNotice, usesKey } from "@/components/apps/client-key-rows";
import { DeleteApp } from "@/components/apps/delete-app";
import { DateTime } from "@/components/dashboard/date-time";
import { MachineClientSettingsForm } from "@/components/machine-clients/machine-client-settings-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ClientIdRow } from "@/components/apps/client-id-row";
import { LastAuthenticationRow } from "@/components/apps/last-authentication-row";
import { ActivityCard } from "@/components/dashboard/activity-card";
import { activityOf, activityPeriodSchema } from "@/lib/activity/series";
import { requireOwner } from "@/lib/auth/session";
import { firstParam } from "@/lib/dashboard/paging";
import { lastAuthenticationOf } from "@/lib/clients/last-authentication";
import { getMachineClient } from "@/lib/clients/machine-clients";
import { getPrisma } from "@/lib/db";
import { getProjectSettings } from "@/lib/settings";
import {
  cancelMachineRotationAction,
  completeMachineRotationAction,
  deleteMachineClientAction,
  startMachineRotationAction,
  updateMachineClientAction,
} from "./actions";

export const metadata: Metadata = { title: "Machine client" };

type Props = { params: Promise<{ client_id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MachineClientPage({ params, searchParams }: Props) {
  const { client_id: clientId } = await params;
  await requireOwner(`/dashboard/machine-clients/${encodeURIComponent(clientId)}`);
  const prisma = await getPrisma();
  const { created, activity: period } = await searchParams;
  const [client, settings, lastAuthentication, activity] = await Promise.all([
    getMachineClient(prisma, clientId),
    getProjectSettings(prisma),
    lastAuthenticationOf(prisma, clientId),
    activityOf(prisma, { clientId }, activityPeriodSchema.parse(firstParam(period)), new Date()),
  ]);
  if (!client) notFound();

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/dashboard/machine-clients" className="text-sm text-brand-700 underline">
          ← All machine clients
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold break-words">{client.name}</h1>
          <Badge tone="brand">Machine client</Badge>
          {client.status !== "active" && <Badge tone="red">Disabled</Badge>}
        </div>
        <p className="text-sm text-slate-500">
          Created <DateTime value={client.created_at} /> · updated <DateTime value={client.updated_at} />
        </p>
      </div>
      {created === "1" && <Alert tone="success">Machine client created.</Alert>}

      <Card title="Credentials">
        <dl className="space-y-4 text-sm">
          <ClientIdRow clientId={client.client_id} />
          <div className="space-y-1">
            <dt className="font-medium text-slate-700">Client secret</dt>
            <dd>
              {usesKey(client) ? (
                <KeyAuthNotice noun="machine client" />
              ) : (
                <AppSecretPanel
                  clientId={client.client_id}
                  currentLast4={client.client_secret_last4}
                  nextLast4={client.next_client_secret_last4}
                  actions={{ start: startMachineRotationAction, complete: completeMachineRotationAction, cancel: cancelMachineRotationAction }}
                />
              )}
            </dd>
          </div>
          <ClientKeyRows client={client} />
          <LastAuthenticationRow value={lastAuthentication} confidential />
          <div className="space-y-1">
            <dt className="font-medium text-slate-700">Grant type</dt>
            <dd className="font-mono text-xs">client_credentials (no refresh token, no ID token, never for a user)</dd>
          </div>
        </dl>
      </Card>

      <ActivityCard
        activity={activity}
        path={`/dashboard/machine-clients/${encodeURIComponent(client.client_id)}`}
        idPrefix="machine"
        what="The tokens this machine client was issued (client_credentials) and the errors it was sent."
        only={["token", "error"]}
      />

      <Card title="Settings and grants">
        <MachineClientSettingsForm
          clientId={client.client_id}
          values={client}
          authMethods={client.token_endpoint_auth_methods}
          resourceServers={settings.resource_servers}
          save={updateMachineClientAction}
        />
      </Card>

      <Card title="Delete machine client">
        <DeleteApp clientId={client.client_id} name={client.name} remove={deleteMachineClientAction} noun="machine client" />
      </Card>
    </div>
  );
}
