import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ConsentPanel } from "@/components/consent/consent-panel";
import { DeviceNotice } from "@/components/device/device-notice";
import { UserCodeForm } from "@/components/device/user-code-form";
import { Alert } from "@/components/ui/alert";
import { getAuthSession, getCurrentUser } from "@/lib/auth/session";
import { DEVICE_RESULTS, devicePage, type DeviceResult } from "@/lib/oauth/device/verification";
import { getOAuthContext } from "@/lib/oauth-context";

export const metadata: Metadata = { title: "Connect a device" };

type Props = { searchParams: Promise<{ user_code?: string | string[]; result?: string | string[] }> };

/** The device flow's verification page (RFC 8628 §3.3): enter or confirm the code, then Allow or Deny. */
export default async function DevicePage({ searchParams }: Props) {
  const { user_code, result } = await searchParams;
  if (typeof result === "string" && Object.hasOwn(DEVICE_RESULTS, result)) {
    const done = result === "approved" || result === "denied";
    return (
      <div className="mx-auto max-w-sm" data-testid="device-result">
        <Alert tone={result === "approved" ? "success" : done ? "info" : "error"}>{DEVICE_RESULTS[result as DeviceResult]}</Alert>
      </div>
    );
  }
  const page = await devicePage(await getOAuthContext(), { userCode: typeof user_code === "string" ? user_code : undefined }, await getAuthSession());
  if (page.type === "redirect") redirect(page.location);
  if (page.type === "enter") return <UserCodeForm userCode={page.userCode} message={page.message} />;
  const user = await getCurrentUser();
  return (
    <ConsentPanel
      view={page.view}
      account={user ? { email: user.email, name: user.name } : null}
      action="/device/decision"
      notice={<DeviceNotice userCode={page.view.userCode} />}
    />
  );
}
