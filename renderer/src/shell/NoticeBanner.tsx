import { useState } from 'react';
import type { Notice } from '../api/events.js';

/** A line under the header for what the backend wants the person at the screen to know; dismissible. */
export function NoticeBanner({ notice }: { notice: Notice | null }) {
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (!notice || dismissed === notice.seq) return null;
  return (
    <div className={`notice-banner ${notice.level}`} role={notice.level === 'warning' ? 'alert' : 'status'}>
      <span>{notice.message}</span>
      <button type="button" className="button subtle" onClick={() => setDismissed(notice.seq)} aria-label="Dismiss notice">
        Dismiss
      </button>
    </div>
  );
}
