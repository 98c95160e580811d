// The layer rules of eslint.config.mjs (issue 16, item 6) are in force: each refuses what crosses its
// layer and lets through what doesn't. `npm test` runs ESLint over the whole tree; this proves the
// rules themselves exist and bite (a rule deleted or mistyped fails here, not silently).
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages ESLint gives `code` as if it were the file `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

const cases: { file: string; refused: string[]; allowed: string[] }[] = [
  {
    file: "lib/risk/layer-probe.ts",
    refused: [
      `import { BOUNDS } from "@/lib/contracts/bounds";`,
      `import { LiveBook } from "@/lib/engine";`,
      `import { readFileSync } from "node:fs";`,
      `import { x } from "../server/x";`,
    ],
    allowed: [`import { tierIndex } from "@/lib/risk/tiers";`, `import { y } from "./tiers";`, `import Decimal from "decimal.js";`],
  },
  {
    file: "lib/venues/layer-probe.ts",
    refused: [
      `import { x } from "@/lib/server/env";`,
      `import { LiveBook } from "@/lib/engine";`,
      `import { readFileSync } from "node:fs";`,
      `import { x } from "../server/x";`,
    ],
    allowed: [`import { validateMarket } from "@/lib/risk";`, `import { formatPath } from "@/lib/risk/risk-issue";`, `import { y } from "./venue-input";`, `import Decimal from "decimal.js";`],
  },
  {
    file: "lib/contracts/layer-probe.ts",
    refused: [`import type { LiveStatus } from "@/lib/engine";`, `import { x } from "@/lib/server/env";`, `import "server-only";`],
    allowed: [`import { evaluateScenario } from "@/lib/risk";`, `import { z } from "zod";`],
  },
  {
    file: "lib/client/layer-probe.ts",
    refused: [
      `import { x } from "@/lib/server/services/services-registry";`,
      `import { LiveBook } from "@/lib/engine";`,
      `import "server-only";`,
      `import { PrismaClient } from "@prisma/client";`,
      `import { readFileSync } from "node:fs";`,
    ],
    allowed: [`import type { LiveBook } from "@/lib/engine";`, `import { z } from "zod";`, `import type { DeskSnapshot } from "@/lib/contracts/desk";`],
  },
  {
    file: "components/desk/layer-probe.tsx",
    refused: [`import { x } from "@/lib/server/runtime";`, `import { LIVE_STATUSES } from "@/lib/engine/live-status";`],
    allowed: [`import { useDesk } from "@/lib/client/use-desk";`],
  },
  {
    file: "lib/engine/book/layer-probe.ts",
    refused: [`import { readFileSync } from "node:fs";`, `import { EngineClient } from "../thread/engine-client";`, `import { x } from "@/lib/server/env";`],
    allowed: [`import { evaluateScenario } from "@/lib/risk";`, `import { accountView } from "../views/account-view";`],
  },
  {
    file: "lib/engine/views/layer-probe.ts",
    refused: [`import { setTimeout } from "node:timers/promises";`],
    allowed: [`import type { BookState } from "../book/book-state";`],
  },
  {
    file: "lib/engine/alerts/layer-probe.ts",
    refused: [
      `import { performance } from "node:perf_hooks";`,
      `import { EngineClient } from "../thread/engine-client";`,
      `import { applyAlertSignals } from "@/lib/server/alerts/alert-store";`,
      `import "server-only";`,
    ],
    allowed: [`import type { BookState } from "../book/book-state";`, `import type { AlertSignal } from "@/lib/contracts/alerts";`, `import { formatUsd } from "@/lib/format/usd";`],
  },
  {
    file: "lib/engine/thread/layer-probe.ts",
    refused: [`import { x } from "@/lib/server/env";`, `import { y } from "@/lib/client/socket";`],
    allowed: [`import { evaluateScenario } from "@/lib/risk";`],
  },
  {
    file: "app/api/v1/layer-probe/route.ts",
    refused: [
      `import { EngineClient } from "@/lib/engine";`,
      `import { accountView } from "@/lib/engine/views/account-view";`,
      `import { Runtime } from "@/lib/server/runtime";`,
      `import type { Runtime } from "@/lib/server/runtime";`,
      `import { LiveEngine } from "@/lib/server/live-engine";`,
      `import { LiveMarkets } from "@/lib/server/markets/live-markets";`,
      `import { prismaClient } from "@/lib/server/db/prisma-client";`,
      `import { DeskStream } from "@/lib/server/feeds/desk-stream";`,
      `import { previewTopUp } from "@/lib/server/topup/top-ups";`,
      `import { listAudit } from "@/lib/server/audit-log";`,
    ],
    allowed: [
      `import type { AccountView } from "@/lib/engine";`,
      `import { pageServices } from "@/lib/server/services/services-registry";`,
      `import { guarded } from "@/lib/server/auth/guard";`,
      `import { readJson } from "@/lib/server/http/read-body";`,
    ],
  },
  {
    file: "app/desk/layer-probe/page.tsx",
    refused: [`import { Runtime } from "@/lib/server/runtime";`, `import { LIVE_STATUSES } from "@/lib/engine";`],
    allowed: [`import { pageServices } from "@/lib/server/services/services-registry";`, `import { requirePage } from "@/lib/server/auth/page-access";`],
  },
];

describe("layer rules (eslint.config.mjs)", { timeout: 60_000 }, () => {
  for (const { file, refused, allowed } of cases) {
    const layer = path.dirname(file);
    it.each(refused)(`${layer} may not: %s`, async (code) => {
      expect(await layerErrors(file, `${code}\nexport {};\n`)).toHaveLength(1);
    });
    it.each(allowed)(`${layer} may: %s`, async (code) => {
      expect(await layerErrors(file, `${code}\nexport {};\n`)).toEqual([]);
    });
  }
});
