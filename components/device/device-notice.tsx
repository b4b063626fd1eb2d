import { Alert } from "@/components/ui/alert";

/** RFC 8628 §5.4: someone may send a link with their own code; the user confirms the code is on their own device. */
export function DeviceNotice({ userCode }: { userCode: string }) {
  return (
    <div className="mt-4" data-testid="device-notice">
      <Alert tone="warning">
        Allow only if your device shows the code <strong className="font-mono font-semibold" data-testid="device-user-code">{userCode}</strong>{" "}
        and you started the sign-in on it yourself just now. If someone sent you this link, deny.
      </Alert>
    </div>
  );
}
