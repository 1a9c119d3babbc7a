export const MiB = 1024 * 1024;

/** A size for messages: "64 MiB", "286.1 MiB", "1000 bytes". */
export function formatBytes(n: number): string {
  if (n < MiB) return `${n} bytes`;
  return n % MiB === 0 ? `${n / MiB} MiB` : `${(n / MiB).toFixed(1)} MiB`;
}
