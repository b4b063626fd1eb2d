import type { Metadata } from "next";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { isSetupTokenValid } from "@/lib/auth/bootstrap";
import { getPrisma } from "@/lib/db";
import { createFirstOwner } from "./actions";

export const metadata: Metadata = { title: "Set up", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string }> };

export default async function SetupPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && (await isSetupTokenValid(await getPrisma(), token));
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Create the owner account">
        {valid ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">
              This account manages connected apps in the dashboard. The link works once.
            </p>
            <CredentialsForm
              createAccount={createFirstOwner}
              submitLabel="Create owner account"
              returnTo="/dashboard"
              hidden={{ token }}
              askName
            />
          </div>
        ) : (
          <Alert>
            This setup link is invalid, expired or already used. While no owner exists, restarting the server prints a
            new one; or create an owner with <code>npm run admin -- create-owner</code>.
          </Alert>
        )}
      </Card>
    </div>
  );
}
