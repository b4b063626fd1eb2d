import Link from "next/link";
import { Button } from "../ui/button";

/**
 * The search box above a dashboard list (a GET form, so a search is a link),
 * and, while searching, what is shown and the way back to the whole list.
 */
export function SearchForm({
  action,
  id,
  label,
  placeholder,
  q,
  perPage,
  results,
  showAll,
  freeText = true,
}: {
  action: string;
  id: string;
  label: string;
  placeholder: string;
  q: string;
  /** Kept across searches when it is not the default. */
  perPage: number | undefined;
  /** "Apps": the heading of the results ("Apps matching …"). */
  results: string;
  /** "Show all apps". */
  showAll: string;
  /** false for emails: no capitalisation or spell-check. */
  freeText?: boolean;
}) {
  return (
    <>
      <form role="search" method="get" action={action} className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end">
        {perPage !== undefined && <input type="hidden" name="per_page" value={perPage} />}
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor={id} className="block text-sm font-medium text-slate-700">
            {label}
          </label>
          <input
            id={id}
            name="q"
            type="search"
            defaultValue={q}
            placeholder={placeholder}
            {...(freeText ? {} : { autoCapitalize: "off", spellCheck: false })}
            className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-none"
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {q && (
        <p className="mb-2 text-sm break-words text-slate-600">
          {results} matching “{q}”.{" "}
          <Link href={action} className="text-brand-700 underline">
            {showAll}
          </Link>
        </p>
      )}
    </>
  );
}
