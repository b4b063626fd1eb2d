"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/dashboard", label: "Overview", exact: true },
  { href: "/dashboard/apps", label: "Apps", exact: false },
  { href: "/dashboard/machine-clients", label: "Machine clients", exact: false },
  { href: "/dashboard/connections", label: "Connections", exact: false },
  { href: "/dashboard/scopes", label: "Scopes", exact: false },
  { href: "/dashboard/roles", label: "Roles", exact: false },
  { href: "/dashboard/users", label: "Users", exact: false },
  { href: "/dashboard/api-keys", label: "API keys", exact: false },
  { href: "/dashboard/audit", label: "Audit log", exact: false },
  { href: "/dashboard/settings", label: "Settings", exact: false },
] as const;

/** The dashboard's section links; the current section is marked for sight and screen readers. */
export function DashboardNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard">
      <ul className="flex flex-wrap gap-1 md:flex-col">
        {LINKS.map((link) => {
          const current = link.exact ? pathname === link.href : pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap ${
                  current ? "bg-surface text-brand-700 shadow-sm ring-1 ring-slate-200" : "text-slate-700 hover:bg-surface"
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
