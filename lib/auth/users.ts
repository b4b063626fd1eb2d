import { assignDefaultRole } from "../rbac/roles";
import { z } from "zod";
import type { PrismaClient, User, UserRole } from "../db/generated/client.ts";
import { isUniqueViolation } from "../db/unique-violation";
import { DomainError } from "../domain-error";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address" }).max(254));

export const passwordSchema = z
  .string()
  .min(8, { error: "Password must be at least 8 characters" })
  .max(256, { error: "Password must be at most 256 characters" });

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100).optional().transform((v) => v || undefined),
});
export type NewUser = z.input<typeof newUserSchema>;

const EMAIL_TAKEN = "An account with this email already exists";

/** The refusal when an email is taken: a conflict naming the email field (sign-up and setup show its message). */
export const emailTaken = () => new DomainError("conflict", EMAIL_TAKEN, { email: EMAIL_TAKEN });

export const isEmailTaken = (error: unknown) => error instanceof DomainError && error.code === "conflict" && "email" in error.fields;

/** Creates a user with the default role; the unique index on email decides races, not a prior lookup. */
export async function createUser(
  prisma: PrismaClient,
  input: NewUser,
  role: UserRole = "member",
): Promise<User> {
  const { email, password, name } = newUserSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, passwordHash, name, role } });
      await assignDefaultRole(tx, user.id);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw emailTaken();
    }
    throw error;
  }
}

/** The user whose email and password match, or null; equal work whether or not the email exists. */
export async function verifyCredentials(
  prisma: PrismaClient,
  email: string,
  password: string,
): Promise<User | null> {
  const parsed = emailSchema.safeParse(email);
  const user = parsed.success ? await prisma.user.findUnique({ where: { email: parsed.data } }) : null;
  // No account, or one made by a sign-in connection without a password: the same work, then no.
  if (!user?.passwordHash) return verifyAgainstDummy(password).then(() => null);
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}
