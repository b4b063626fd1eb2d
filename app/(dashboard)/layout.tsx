import { DashboardNav } from "@/components/dashboard/dashboard-nav";
import { requireOwner } from "@/lib/auth/session";

/** Owner-only area: every page below is refused to anyone but an owner. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await requireOwner();
  return (
    <div className="flex flex-col gap-6 md:flex-row">
      <DashboardNav />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
