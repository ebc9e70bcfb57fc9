/** `$1,234.56`; locale-independent so output is the same on every machine. */
export function formatUsd(n: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  // A real but sub-cent amount (a small embeddings backfill) would print as "$0.00", which reads as nothing: show its
  // first significant digit instead, down to a hundredth of a cent.
  if (abs > 0 && abs < 0.005) return abs < 0.0001 ? `${sign}<$0.0001` : `${sign}$${Number(abs.toPrecision(1)).toString()}`;
  const [int, frac] = Math.abs(n).toFixed(2).split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}.${frac}`;
}
