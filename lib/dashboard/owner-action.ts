import { refresh } from "next/cache";
import { userActor, type Actor } from "../audit";
import { requireOwner } from "../auth/session";
import type { PrismaClient } from "../db/generated/client.ts";
import { getPrisma } from "../db";
import { domainErrorResult, type ActionFailure, type ActionResult } from "./action-result";

export interface OwnerContext {
  prisma: PrismaClient;
  /** The signed-in owner, as the audit log names them. */
  actor: Actor;
  /** The owner's user id. */
  ownerId: string;
}

/**
 * The one shape of a dashboard server action. The owner is checked first
 * (server actions are reachable by a direct POST; anyone else is sent to
 * sign in, back to `page`), then `run` checks its arguments (a forged call
 * gets a readable failure), makes one lib call and says what to return. A
 * DomainError becomes a readable result (`onError`, domainErrorResult by
 * default; anything else is a real server error and propagates); after a
 * success the page's data is refreshed.
 */
export async function ownerAction<T extends object = object>(
  page: string,
  run: (owner: OwnerContext) => Promise<T | ActionFailure>,
  onError: (error: unknown) => ActionFailure = domainErrorResult,
): Promise<ActionResult<T>> {
  const owner = await requireOwner(page);
  let result: T | ActionFailure;
  try {
    result = await run({ prisma: await getPrisma(), actor: userActor(owner), ownerId: owner.id });
  } catch (error) {
    return onError(error);
  }
  if (isFailure(result)) return result;
  refresh();
  return { ...result, ok: true };
}

function isFailure(result: object): result is ActionFailure {
  return (result as Partial<ActionFailure>).ok === false;
}
