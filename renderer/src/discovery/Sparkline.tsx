/** Advertisements per second as small bars (the group's last minute), drawn as one path so 200 rows stay cheap. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 2;
  const h = 18;
  let d = '';
  values.forEach((v, i) => {
    if (v <= 0) return;
    const bar = Math.max(2, (v / max) * h);
    d += `M${i * w} ${h}v${-bar.toFixed(1)}h${w - 0.5}v${bar.toFixed(1)}z`;
  });
  return (
    <svg className="sparkline" width={values.length * w} height={h} role="img" aria-label={label}>
      {d && <path d={d} />}
    </svg>
  );
}
