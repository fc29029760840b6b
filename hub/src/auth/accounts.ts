import { and, asc, eq, sql } from 'drizzle-orm';
import type { Profile, Role, User, UserLocale } from '@pourcast/protocol';
import { newId, runBatch, type Db } from '../db/client.ts';
import { memberships, organizations, users } from '../db/schema.ts';
import { AppError } from '../http/app-error.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface NewMember {
  email: string;
  name: string;
  password: string;
  role: Role;
}

export interface NewOrganization {
  organization: { name: string; currency: string };
  owner: Omit<NewMember, 'role'>;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function hasAnyOrganization(db: Db): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length > 0;
}

/** Creates an organization and its owner in one D1 batch (a transaction). */
export async function createOrganizationWithOwner(db: Db, input: NewOrganization): Promise<User> {
  const organizationId = newId();
  const userId = newId();
  const email = normalizeEmail(input.owner.email);
  await assertEmailFree(db, email);
  const passwordHash = await hashPassword(input.owner.password);
  await db.batch([
    db.insert(organizations).values({ id: organizationId, ...input.organization }),
    db.insert(users).values({ id: userId, email, name: input.owner.name, passwordHash }),
    db.insert(memberships).values({ userId, organizationId, role: 'owner' }),
  ]);
  return { id: userId, email, name: input.owner.name, role: 'owner', organizationId };
}

/**
 * The first organization and its owner, only while the hub has none. One D1 batch (a transaction) whose
 * every insert is conditional on the previous one, so two racing setups cannot both succeed; answers
 * undefined when the hub already had an organization.
 */
export async function createFirstOrganization(
  d1: D1Database,
  input: NewOrganization,
): Promise<User | undefined> {
  const organizationId = newId();
  const userId = newId();
  const email = normalizeEmail(input.owner.email);
  const passwordHash = await hashPassword(input.owner.password);
  const [organization] = await runBatch(d1, [
    sql`INSERT INTO organizations (id, name, currency)
        SELECT ${organizationId}, ${input.organization.name}, ${input.organization.currency}
         WHERE NOT EXISTS (SELECT 1 FROM organizations)`,
    sql`INSERT INTO users (id, email, name, password_hash) SELECT ${userId}, ${email}, ${input.owner.name}, ${passwordHash}
         WHERE EXISTS (SELECT 1 FROM organizations WHERE id = ${organizationId})`,
    sql`INSERT INTO memberships (user_id, organization_id, role) SELECT ${userId}, ${organizationId}, 'owner'
         WHERE EXISTS (SELECT 1 FROM users WHERE id = ${userId})`,
  ]);
  if (organization!.meta.changes !== 1) return undefined;
  return { id: userId, email, name: input.owner.name, role: 'owner', organizationId };
}

async function assertEmailFree(db: Db, email: string) {
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing.length) throw new AppError(409, 'email_taken', `a user with email ${email} already exists`);
}

export async function createMember(db: Db, organizationId: string, input: NewMember): Promise<User> {
  const email = normalizeEmail(input.email);
  await assertEmailFree(db, email);
  const userId = newId();
  const passwordHash = await hashPassword(input.password);
  await db.batch([
    db.insert(users).values({ id: userId, email, name: input.name, passwordHash }),
    db.insert(memberships).values({ userId, organizationId, role: input.role }),
  ]);
  return { id: userId, email, name: input.name, role: input.role, organizationId };
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  organizationId: memberships.organizationId,
};

export async function listMembers(db: Db, organizationId: string): Promise<User[]> {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.email));
}

export async function getMember(db: Db, organizationId: string, userId: string): Promise<User | undefined> {
  const [member] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return member;
}

/** The member with their language (GET /auth/me). */
export async function getProfile(
  db: Db,
  organizationId: string,
  userId: string,
): Promise<Profile | undefined> {
  const [member] = await db
    .select({ ...memberColumns, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return member;
}

/** A person's own language; a user row, so it follows them into every organization they belong to. */
export async function setLocale(db: Db, userId: string, locale: UserLocale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** A throwaway hash so an unknown email costs as much time as a wrong password. */
let decoyHash: Promise<string> | undefined;

/** The member a password logs in as (their first organization), or undefined for wrong credentials. */
export async function checkCredentials(
  db: Db,
  emailInput: string,
  password: string,
): Promise<User | undefined> {
  const email = normalizeEmail(emailInput);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user) {
    decoyHash ??= hashPassword('decoy password, never valid');
    await verifyPassword(password, await decoyHash);
    return undefined;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return undefined;
  const [membership] = await db
    .select()
    .from(memberships)
    .where(eq(memberships.userId, user.id))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!membership) return undefined;
  return {
    id: user.id,
    email,
    name: user.name,
    role: membership.role,
    organizationId: membership.organizationId,
  };
}
