import "server-only";

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

export type { SchemaEngine };
export type {
  DiffTarget,
  MigrationList,
  SchemaContainer,
  SchemaFilter,
} from "@prisma/schema-engine-wasm/schema_engine_bg";

// The package's ESM entry (`schema_engine.js`) does `import * as wasm from "./schema_engine_bg.wasm"`,
// which Node 20 cannot load. We instantiate the .wasm ourselves against the JS glue module
// (`schema_engine_bg.js`) and hand the instance back to the glue, as the entry would have.
let loaded: Promise<typeof bg> | undefined;

function loadWasmModule(): Promise<typeof bg> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    // The engine arms timers (timeouts it races its futures against) and never clears them: unref
    // them so that a finished migration does not hold the process open for 10 s. While the engine
    // works, its pg pool keeps the process alive.
    const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
    for (const [name, fn] of Object.entries(imports)) {
      if (name.startsWith("__wbg_setTimeout_") && typeof fn === "function") {
        imports[name] = (...args: unknown[]) => {
          const timer = (fn as (...a: unknown[]) => unknown)(...args);
          (timer as { unref?: () => void } | null)?.unref?.();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /** Frees the engine and closes its connection pool. */
  close(): Promise<void>;
}

/**
 * Starts Prisma's WebAssembly schema engine. With a connection string it talks to that database
 * through `@prisma/adapter-pg`; without one it can still diff datamodels (no database needed).
 * `datamodels` are `[path, content]` pairs of Prisma schema files.
 */
export async function openSchemaEngine(opts: {
  connectionString?: string;
  datamodels?: [string, string][];
  log?: (msg: string) => void;
}): Promise<SchemaEngineHandle> {
  const mod = await loadWasmModule();
  const log = opts.log;
  let pool: pg.Pool | undefined;
  let factory: SqlMigrationAwareDriverAdapterFactory;
  if (opts.connectionString) {
    pool = new pg.Pool({ connectionString: opts.connectionString, max: 2 });
    pool.on("error", (err) => log?.(`schema engine pool error: ${err.message}`));
    factory = withCharColumns(pool, new PrismaPg(pool));
  } else {
    factory = offlineAdapterFactory();
  }
  let engine: SchemaEngine;
  try {
    engine = await mod.SchemaEngine.new(
      { datamodels: opts.datamodels },
      (msg: unknown) => log?.(typeof msg === "string" ? msg : JSON.stringify(msg)),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (err) {
    await pool?.end();
    throw err;
  }
  let closed = false;
  return {
    engine,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      await pool?.end();
    },
  };
}

/**
 * The engine queries the server version as soon as it starts, even when it will only diff two
 * datamodels. Without a database we answer that one query (as a PostgreSQL 15 server with a
 * `public` schema) and refuse everything else, so a datamodel diff never needs a server.
 */
function offlineAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const refuse = (what: string) =>
    Promise.reject(new Error(`schema engine opened without a database cannot run ${what}`));
  const adapter: SqlDriverAdapter = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (query.sql.includes("server_version_num")) {
        return Promise.resolve({
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, "PostgreSQL 15.0 (offline: no database)", 150000]],
        });
      }
      return refuse(`query ${JSON.stringify(query.sql.slice(0, 80))}`);
    },
    executeRaw: (query: SqlQuery) => refuse(`statement ${JSON.stringify(query.sql.slice(0, 80))}`),
    executeScript: () => refuse("a script"),
    startTransaction: () => refuse("a transaction"),
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    dispose: () => Promise.resolve(),
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => Promise.resolve(adapter),
    connectToShadowDb: () => refuse("a shadow database"),
  };
}

const PG_CHAR_OID = 18; // the one-byte "char" of the system catalogs (pg_class.relkind, pg_constraint.contype)
const PG_TEXT_OID = 25;

/**
 * The engine's introspection (diffing from the live database) reads catalog columns of type
 * "char", which @prisma/adapter-pg 7.10 rejects as an unsupported native type, while the engine
 * wants them typed `Character`. node-postgres already parses them to strings: relabel them as
 * text on the way through the pool (so the adapter accepts them), remember which columns they
 * were (keyed by the rows array, which the adapter passes through unchanged), and type those
 * columns `Character` in the adapter's result.
 */
function withCharColumns(pool: pg.Pool, inner: PrismaPg): SqlMigrationAwareDriverAdapterFactory {
  const charColumns = new WeakMap<unknown[], number[]>();
  const relabel = (queryable: pg.Pool | pg.PoolClient) => {
    const original = queryable.query.bind(queryable) as (...args: unknown[]) => unknown;
    const patched = (...args: unknown[]): unknown => {
      const result = original(...args);
      if (!(result instanceof Promise)) return result; // callback style: not used by the adapter
      return result.then((res: pg.QueryResult) => {
        const indices: number[] = [];
        (res.fields ?? []).forEach((field, i) => {
          if (field.dataTypeID === PG_CHAR_OID) {
            field.dataTypeID = PG_TEXT_OID;
            indices.push(i);
          }
        });
        if (indices.length > 0 && Array.isArray(res.rows)) charColumns.set(res.rows, indices);
        return res;
      });
    };
    (queryable as unknown as { query: typeof patched }).query = patched;
  };
  relabel(pool);
  pool.on("connect", (client) => relabel(client));

  const retype = <Q extends { queryRaw(q: SqlQuery): Promise<SqlResultSet> }>(queryable: Q): Q => {
    const original = queryable.queryRaw.bind(queryable);
    queryable.queryRaw = async (query: SqlQuery) => {
      const result = await original(query);
      for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
      return result;
    };
    return queryable;
  };
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    retype(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => retype(await startTransaction(...args));
    adapter.executeScript = (script) => runScript(pool, adapter, script);
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wrap(await inner.connect()),
    connectToShadowDb: async () => wrap(await inner.connectToShadowDb()),
  };
}

/**
 * A migration script as ONE simple-protocol query: PostgreSQL runs its statements in order, in one
 * implicit transaction (a failing migration leaves nothing half-applied), and reads dollar-quoted
 * function bodies whole. (@prisma/adapter-pg 7.10 splits the script on every ";" and runs the
 * pieces one by one, which breaks any function body and commits each piece on its own.) Errors go
 * through the adapter's own conversion, so the engine reports them as it would.
 */
async function runScript(pool: pg.Pool, adapter: SqlDriverAdapter, script: string): Promise<void> {
  try {
    await pool.query(script);
  } catch (error) {
    (adapter as unknown as { onError(error: unknown): never }).onError(error);
  }
}
