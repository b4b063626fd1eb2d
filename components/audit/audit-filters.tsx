import Link from "next/link";
import type { AuditFilterValues } from "@/lib/audit-log/filters";
import { Button } from "../ui/button";
import { Field, SelectField } from "../ui/field";

/**
 * The audit log's filters: a GET form, so a filtered view is a link (and
 * its pages and CSV keep the filters). Every filter given must hold.
 */
export function AuditFilters({
  action,
  values,
  errors,
  actions,
  apps,
  perPage,
}: {
  action: string;
  values: AuditFilterValues;
  errors: Partial<Record<keyof AuditFilterValues, string>>;
  actions: readonly string[];
  apps: readonly { clientId: string; name: string }[];
  perPage: number | undefined;
}) {
  const errorsOf = (field: keyof AuditFilterValues) => (errors[field] ? [errors[field]] : []);
  // A filtered app no longer listed (deleted, or past the list's length) stays selectable.
  const appOptions = apps.some((app) => app.clientId === values.app) || !values.app ? apps : [...apps, { clientId: values.app, name: values.app }];
  return (
    <form role="search" aria-label="Filter the audit log" method="get" action={action} className="mb-4 space-y-3">
      {perPage !== undefined && <input type="hidden" name="per_page" value={perPage} />}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Actor" name="actor" type="search" required={false} defaultValue={values.actor} errors={errorsOf("actor")} hint="Part of an email or an API key's name." autoCapitalize="off" spellCheck={false} />
        <SelectField
          label="Action"
          name="action"
          defaultValue={values.action}
          errors={errorsOf("action")}
          options={[{ value: "", label: "Any action" }, ...actions.map((name) => ({ value: name, label: name })), ...(values.action && !actions.includes(values.action) ? [{ value: values.action, label: values.action }] : [])]}
        />
        <SelectField
          label="App"
          name="app"
          defaultValue={values.app}
          errors={errorsOf("app")}
          options={[{ value: "", label: "Any app" }, ...appOptions.map((app) => ({ value: app.clientId, label: app.name === app.clientId ? app.clientId : `${app.name} (${app.clientId})` }))]}
        />
        <Field label="From (UTC)" name="from" type="date" required={false} defaultValue={values.from} errors={errorsOf("from")} />
        <Field label="To (UTC)" name="to" type="date" required={false} defaultValue={values.to} errors={errorsOf("to")} hint="Whole days in UTC, both included." />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        <Link href={action} className="text-sm text-brand-700 underline">
          Clear filters
        </Link>
      </div>
    </form>
  );
}
