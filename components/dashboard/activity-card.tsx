import { ACTIVITY_FLUSH_INTERVAL_MS } from "@/lib/activity/counter";
import type { Activity } from "@/lib/activity/series";
import { Card } from "../ui/card";
import { ActivityPanel } from "./activity-panel";

/** The "Activity" card of a page (`#activity`, where the period switch comes back to). */
export function ActivityCard({
  activity,
  path,
  idPrefix,
  what,
  only,
}: {
  activity: Activity;
  path: string;
  idPrefix: string;
  /** What is counted, in a sentence for the description. */
  what: string;
  only?: readonly string[];
}) {
  return (
    <div id="activity" className="scroll-mt-4">
      <Card
        title="Activity"
        description={
          <p>
            {what} Each server instance counts in memory and adds its counts to the database every {ACTIVITY_FLUSH_INTERVAL_MS / 1000} seconds, so
            the last few seconds may not show yet. Times are UTC; counts are kept 31 days.
          </p>
        }
      >
        <ActivityPanel activity={activity} path={path} idPrefix={idPrefix} {...(only ? { only } : {})} />
      </Card>
    </div>
  );
}
