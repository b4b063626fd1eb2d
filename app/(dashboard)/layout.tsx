import Link from "next/link";
import { requireOwner } from "@/lib/auth/session";

/** Owner-only area: every page below is refused to anyone but an owner. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await requireOwner();
  return (
    <div className="flex flex-col gap-6 md:flex-row">
      <nav aria-label="Dashboard" className="md:w-48 md:shrink-0">
        <ul className="flex gap-2 overflow-x-auto md:flex-col">
          <li>
            <Link href="/dashboard" className="block rounded-lg px-3 py-2 text-sm font-medium hover:bg-white">
              Overview
            </Link>
          </li>
        </ul>
      </nav>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
