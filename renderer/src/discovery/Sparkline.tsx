/** Advertisements per second as small bars (the group's last minute). */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 2;
  const h = 18;
  return (
    <svg className="sparkline" width={values.length * w} height={h} role="img" aria-label={label}>
      {values.map((v, i) =>
        v > 0 ? <rect key={i} x={i * w} y={h - Math.max(2, (v / max) * h)} width={w - 0.5} height={Math.max(2, (v / max) * h)} /> : null,
      )}
    </svg>
  );
}
