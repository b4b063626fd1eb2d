import type { Metadata } from "next";
import { AccessTokenForm } from "@/components/settings/access-token-form";
import { ProjectSettingsForm } from "@/components/settings/project-settings-form";
import { PushedRequestsForm } from "@/components/settings/pushed-requests-form";
import { ResourceServersForm } from "@/components/settings/resource-servers-form";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { getProjectSettings } from "@/lib/settings";
import { saveAccessTokenAlgAction, saveProjectSettingsAction, savePushedRequestsAction, saveResourceServersAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireOwner("/dashboard/settings");
  const settings = await getProjectSettings(await getPrisma());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Card
        title="Sign-up and self-registration"
        description={
          <p>
            Who may join without asking you first: end users, by creating an account; third-party developers, by
            registering their own apps over HTTP (Dynamic Client Registration) or by using the URL of a metadata
            document they host as their client ID, as MCP clients do.
          </p>
        }
      >
        <ProjectSettingsForm values={settings} save={saveProjectSettingsAction} />
      </Card>
      <Card
        title="Resource servers"
        description={
          <p>
            The APIs and MCP servers this project issues access tokens for. An app that names one of them gets a token
            only that server accepts; any other server is refused.
          </p>
        }
      >
        <ResourceServersForm values={settings.resource_servers} issuer={getConfig().issuer} save={saveResourceServersAction} />
      </Card>
      <Card
        title="Access tokens"
        description={
          <p>
            Access tokens are JWTs (RFC 9068) your APIs verify with the keys in JWKS. RS256 is the default and works with
            every JWT library; ES256 tokens are smaller and several times cheaper for this server to sign.
          </p>
        }
      >
        <AccessTokenForm alg={settings.access_token_alg} save={saveAccessTokenAlgAction} />
      </Card>
      <Card
        title="Authorization requests"
        description={
          <p>
            With pushed authorization requests (RFC 9126) an app sends the details of a sign-in to this server directly,
            authenticated, instead of through the user&apos;s browser, where they could be read or altered.
          </p>
        }
      >
        <PushedRequestsForm requirePar={settings.require_par} save={savePushedRequestsAction} />
      </Card>
    </div>
  );
}
