import "server-only";
import type { PrismaClient } from "../db/prisma-client";
import type { AccountsService } from "../services/accounts";
import { DEMO_TRADER_ACCOUNTS } from "@/lib/sim/demo-trader-accounts";
import { bindAccounts, createUser } from "./users";

export const DEMO_DESK_EMAIL = "desk@liqdesk.local";
export const DEMO_TRADER_A_EMAIL = "trader-a@liqdesk.local";
export const DEMO_TRADER_B_EMAIL = "trader-b@liqdesk.local";

export interface DemoUsers {
  desk: string;
  traders: { email: string; accounts: string[] }[];
}

/**
 * First start with LIQDESK_DEMO_USERS=on and no user yet: a desk user and two traders, all with
 * the demo password, before the server listens (so that the desk can sign in as soon as it is
 * up). Returns whether it created them.
 */
export async function createDemoUsers(prisma: PrismaClient, password: string): Promise<boolean> {
  if ((await prisma.user.count()) > 0) return false;
  await createUser(prisma, { email: DEMO_DESK_EMAIL, name: "Risk desk (demo)", role: "desk", accountIds: [], password }, "system");
  await createUser(prisma, { email: DEMO_TRADER_A_EMAIL, name: "Trader A (demo)", role: "trader", accountIds: [], password }, "system");
  await createUser(prisma, { email: DEMO_TRADER_B_EMAIL, name: "Trader B (demo)", role: "trader", accountIds: [], password }, "system");
  return true;
}

/**
 * Binds the demo traders, while neither has an account, to their own demo accounts once the
 * simulator has ingested them (lib/sim/demo-trader-accounts.ts): trader A to the comfortable one,
 * trader B to the one in warning (sized to live through the simulator's price paths, never the
 * riskiest of the book, which the simulator liquidates within seconds). Then reports the demo
 * users for the start-up log; null when there is no demo desk user.
 */
export async function bindDemoTraders(prisma: PrismaClient, accounts: AccountsService): Promise<DemoUsers | null> {
  const load = () => prisma.user.findMany({
    where: { email: { in: [DEMO_DESK_EMAIL, DEMO_TRADER_A_EMAIL, DEMO_TRADER_B_EMAIL] } },
    include: { accounts: { select: { accountId: true }, orderBy: { accountId: "asc" } } },
    orderBy: { email: "asc" },
  });
  let users = await load();
  const traders = users.filter((u) => u.role === "trader");
  if (traders.length === 2 && traders.every((t) => t.accounts.length === 0)) {
    const exists = async (id: string) => (await accounts.view(id)) !== null;
    if (await exists(DEMO_TRADER_ACCOUNTS.comfortable)) await bindAccounts(prisma, DEMO_TRADER_A_EMAIL, [DEMO_TRADER_ACCOUNTS.comfortable], "system");
    if (await exists(DEMO_TRADER_ACCOUNTS.warning)) await bindAccounts(prisma, DEMO_TRADER_B_EMAIL, [DEMO_TRADER_ACCOUNTS.warning], "system");
    users = await load();
  }
  const desk = users.find((u) => u.email === DEMO_DESK_EMAIL);
  if (!desk) return null;
  return {
    desk: desk.email,
    traders: users.filter((u) => u.role === "trader").map((u) => ({ email: u.email, accounts: u.accounts.map((a) => a.accountId) })),
  };
}
