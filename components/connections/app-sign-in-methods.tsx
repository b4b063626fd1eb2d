import Link from "next/link";
import type { OfferedConnection } from "@/lib/connections/connections";

/** An app's page: how people sign in to it (the password form, then the connections it offers), each connection linked. */
export function AppSignInMethods({ methods }: { methods: { password: boolean; connections: OfferedConnection[] } }) {
  return (
    <ul className="space-y-1 text-sm" data-testid="app-sign-in-methods">
      {methods.password && <li>Email and password</li>}
      {methods.connections.map((connection) => (
        <li key={connection.slug}>
          <Link href={`/dashboard/connections/${encodeURIComponent(connection.slug)}`} className="text-brand-700 underline">
            {connection.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
