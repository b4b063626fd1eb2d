import { Card } from "./card";

/** A page-level error an end user can read (expired request, refused link…). */
export function ErrorCard({ title, description }: { title: string; description: string }) {
  return (
    <div className="mx-auto max-w-md" role="alert">
      <Card title={title}>
        <p className="text-sm text-slate-600">{description}</p>
      </Card>
    </div>
  );
}
