import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  // Checked here too: a layout alone does not guard a page's own data.
  const owner = await requireOwner();
  const prisma = await getPrisma();
  const [members, owners, apiKeys] = await Promise.all([
    prisma.user.count({ where: { role: "member" } }),
    prisma.user.count({ where: { role: "owner" } }),
    prisma.apiKey.findMany({
      where: { ownerId: owner.id, revokedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, last4: true, createdAt: true, lastUsedAt: true },
    }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card title="End users">
          <p className="text-3xl font-semibold" data-testid="member-count">
            {members}
          </p>
        </Card>
        <Card title="Owners">
          <p className="text-3xl font-semibold">{owners}</p>
        </Card>
      </div>
      <Card title="Your API keys">
        {apiKeys.length === 0 ? (
          <p className="text-sm text-slate-600">
            No API keys yet. Create one with <code>npm run admin -- create-api-key --owner {owner.email}</code>.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {apiKeys.map((key) => (
              <li key={key.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span className="font-medium">{key.name}</span>
                <span className="font-mono text-slate-500">…{key.last4}</span>
                <span className="text-slate-500">created {key.createdAt.toISOString().slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
