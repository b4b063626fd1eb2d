import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { SIGNED_IN_PATH } from "@/lib/safe-return-path";

/** Where a sign-in with no destination of its own ends: the owner's work is the dashboard, an end user's their account. */
export default async function SignedInPage() {
  const user = await requireUser(SIGNED_IN_PATH);
  redirect(user.role === "owner" ? "/dashboard" : "/account");
}
