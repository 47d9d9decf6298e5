export function generate(
  outDir: string,
  assets: number,
  days: number,
  seed?: number,
  start?: string,
): Record<string, string>;
