import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // The same `harvester/*` names deno.json maps, so strategy files import as they do under Deno.
  resolve: {
    alias: {
      "harvester/api": here("./runtime/api/mod.ts"),
      "harvester/bundles": here("./bundles/mod.ts"),
      "harvester/calendars": here("./calendars/mod.ts"),
    },
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
