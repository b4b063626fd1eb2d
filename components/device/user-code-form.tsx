import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";

/** Where the user types the code their device shows (a plain GET form: works without JavaScript). */
export function UserCodeForm({ userCode, message }: { userCode: string; message: string | null }) {
  return (
    <div className="mx-auto max-w-sm">
      <Card title="Connect a device" description={<p>Enter the code shown on your device (a TV, a command line tool…).</p>}>
        <form method="get" action="/device" className="space-y-4">
          <Field
            label="Code"
            name="user_code"
            defaultValue={userCode}
            placeholder="BCDF-GHJK"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={20}
            errors={message ? [message] : []}
          />
          <Button type="submit">Continue</Button>
        </form>
      </Card>
    </div>
  );
}
