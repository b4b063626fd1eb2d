import { SignOutButton } from "@/components/auth/sign-out-button";
import { DashboardNav } from "@/components/dashboard/dashboard-nav";
import { requireOwner } from "@/lib/auth/session";

/** Owner-only area: every page below is refused to anyone but an owner. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const owner = await requireOwner();
  return (
    <div className="flex flex-col gap-6 md:flex-row">
      <div className="space-y-4 md:w-48 md:shrink-0">
        <DashboardNav />
        <div className="flex items-center justify-between gap-3 border-t border-slate-200 pt-4 md:block md:space-y-2" data-testid="dashboard-account">
          <p className="min-w-0 truncate text-xs text-slate-500" title={owner.email}>
            Signed in as <span className="font-medium text-slate-700">{owner.email}</span>
          </p>
          <SignOutButton />
        </div>
      </div>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
