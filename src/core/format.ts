/** `$1,234.56`; locale-independent so output is the same on every machine. */
export function formatUsd(n: number): string {
  const sign = n < 0 ? '-' : '';
  const [int, frac] = Math.abs(n).toFixed(2).split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}.${frac}`;
}
