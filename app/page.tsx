import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";

export default async function HomePage() {
  const user = await getCurrentUser();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-semibold">Connected Apps</h1>
      <p className="max-w-2xl text-slate-700">
        This server is an OAuth 2.1 and OpenID Connect identity provider. Apps you connect act on your behalf, only
        with the access you approve, and never beyond your own permissions.
      </p>
      <div className="flex flex-wrap gap-3">
        {user ? (
          <Link className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white" href={user.role === "owner" ? "/dashboard" : "/account"}>
            {user.role === "owner" ? "Go to the dashboard" : "Go to your account"}
          </Link>
        ) : (
          <>
            <Link className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white" href="/signin">
              Sign in
            </Link>
            <Link className="rounded-lg border border-slate-300 bg-surface px-4 py-2 text-sm font-medium" href="/signup">
              Create account
            </Link>
          </>
        )}
      </div>
    </div>
  );
}
