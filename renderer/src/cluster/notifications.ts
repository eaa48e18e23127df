// Desktop notifications for failovers through the Web Notification API (Chromium and Electron alike). Permission
// is asked only when the person clicks "Enable notifications", never on load.
import { useCallback, useRef, useState } from 'react';
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';

export type NotifyPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export interface Notifier {
  permission(): NotifyPermission;
  request(): Promise<NotifyPermission>;
  show(title: string, options: { body: string; tag: string }): void;
}

export const browserNotifier: Notifier = {
  permission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
  request: async () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.requestPermission()),
  show: (title, options) => {
    new Notification(title, options);
  },
};

export interface FailoverNotifications {
  enabled: boolean;
  permission: NotifyPermission;
  /** Turns notifications on (asking for permission first if needed) or off. */
  toggle(): Promise<void>;
  /** Shows a notification for `e` if it is a failover that happened after notifications were turned on. */
  consider(e: TimelineEvent): void;
}

export function useFailoverNotifications(notifier: Notifier): FailoverNotifications {
  const [enabled, setEnabled] = useState(false);
  const [permission, setPermission] = useState<NotifyPermission>(() => notifier.permission());
  // Events already held when notifications were turned on (history, replays) never notify.
  const since = useRef<number | null>(null);
  const lastSeen = useRef(-1);

  const toggle = useCallback(async () => {
    if (enabled) {
      since.current = null;
      setEnabled(false);
      return;
    }
    let p = notifier.permission();
    if (p === 'default') p = await notifier.request();
    setPermission(p);
    if (p !== 'granted') return;
    since.current = lastSeen.current;
    setEnabled(true);
  }, [enabled, notifier]);

  const consider = useCallback(
    (e: TimelineEvent) => {
      lastSeen.current = Math.max(lastSeen.current, e.seq);
      if (since.current === null || !e.failover || e.seq <= since.current) return;
      const what = e.vhid === null ? e.node : `vhid ${e.vhid}`;
      try {
        notifier.show(`Failover: ${what} is now ${e.new ?? 'MASTER'} on ${e.node}`, { body: e.cause, tag: `carpdeck-failover-${e.vhid ?? ''}` });
      } catch {
        // A page that lost its permission meanwhile: the timeline row still shows the failover.
      }
    },
    [notifier],
  );

  return { enabled, permission, toggle, consider };
}
