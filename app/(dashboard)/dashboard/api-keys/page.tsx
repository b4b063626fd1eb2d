import type { Metadata } from "next";
import { ApiKeyList } from "@/components/api-keys/api-key-list";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { Card } from "@/components/ui/card";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const owner = await requireOwner("/dashboard/api-keys");
  const keys = await listApiKeys(await getPrisma(), owner.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <Card
        title="Create an API key"
        description={
          <p>
            API keys let your scripts and CI use the management API as you. A key is shown once; only its hash is
            stored.
          </p>
        }
      >
        <CreateApiKeyForm create={createApiKeyAction} />
      </Card>
      <Card title="Your API keys">
        <ApiKeyList keys={keys} revoke={revokeApiKeyAction} />
      </Card>
    </div>
  );
}
