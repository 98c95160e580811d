import "server-only";

import { createHash } from "node:crypto";
import { chmod, lstat, mkdir, readdir, readlink, rm, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { StartError } from "../start-error";
import { mkdirReachable, ROOT_STATE_DIR } from "./postgres-binaries";
import { type PostgresUser, userCan } from "./postgres-user";

/**
 * The directory the cluster really lives in, for `dataDir` as configured (LIQDESK_DATA_DIR/postgres).
 *
 * Usually `dataDir` itself. As root, PostgreSQL runs as the `postgres` user, who must be able to
 * enter every directory above its data: `dataDir`'s own parent (`.data`, made by Liqdesk) is
 * opened to it (mode 0755), but a checkout under a private directory (`mktemp -d`, `/root`: mode
 * 0700) stays closed, and Liqdesk does not open the user's directories. The cluster then lives in
 * `<stateDir>/clusters/<checkout>-<hash of dataDir>` and `dataDir` becomes a symbolic link to it:
 * later starts, the CLIs (`npm run token`…) and anyone looking (`ls -l .data`) follow the link.
 * Removing the link does not remove that cluster: the next start finds it again (same hash) and
 * says so.
 */
export async function clusterDirectory(dataDir: string, user: PostgresUser | null, log: (line: string) => void, opts: { stateDir?: string } = {}): Promise<string> {
  const link = await lstat(dataDir).catch(() => null);
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(dataDir), await readlink(dataDir));
    if (!(await stat(target).catch(() => null))) {
      log(`${dataDir} links to ${target}, which is gone: a new cluster is made there`);
      await mkdirReachable(path.dirname(target));
    }
    return target;
  }
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (user === null) return dataDir;
  await chmod(parent, 0o755).catch(() => {});
  if (userCan(user, "x", parent)) return dataDir;

  const relocate = `the ${user.name} user, who runs PostgreSQL, cannot enter ${parent} (a directory above it is private)`;
  if (link) {
    const empty = link.isDirectory() && (await readdir(dataDir)).length === 0;
    if (!empty) {
      throw new StartError(
        `${relocate}, and ${dataDir} already holds data: move the checkout under a directory others can enter ` +
          "(chmod o+x on its parents), or set LIQDESK_DATA_DIR to such a directory",
      );
    }
    await rm(dataDir, { recursive: true });
  }
  const hash = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
  const checkout = path.basename(path.dirname(parent)).replace(/[^\w.-]/g, "_");
  const target = path.join(opts.stateDir ?? ROOT_STATE_DIR, "clusters", `${checkout}-${hash}`);
  await mkdirReachable(path.dirname(target));
  const kept = await stat(path.join(target, "PG_VERSION")).then(() => true, () => false);
  log(kept
    ? `${relocate}: using the cluster this data directory had before, ${target} (remove it to start afresh); ${dataDir} links to it`
    : `${relocate}: the cluster goes to ${target}; ${dataDir} links to it`);
  await symlink(target, dataDir);
  return target;
}
