/** How a section is checked and put into service; `{file}` in an argv is the path of the section's first file. */
export interface SectionSpec {
  name: string;
  files: string[];
  validate: string[] | null;
  apply: string[] | null;
  /** Run after apply; a failure rolls the section back. */
  verify: string[] | null;
}

type Preset = Omit<SectionSpec, 'name'>;

/** What a Linux firewall runs; a section in the config may replace any field. */
export const PRESETS = {
  nftables: { files: ['/etc/nftables.conf'], validate: ['nft', '-c', '-f', '{file}'], apply: ['nft', '-f', '{file}'], verify: null },
  routes: { files: ['/etc/carpdeck/routes.batch'], validate: null, apply: ['ip', '-batch', '{file}'], verify: null },
  dnsmasq: { files: ['/etc/dnsmasq.conf'], validate: ['dnsmasq', '--test', '--conf-file={file}'], apply: ['systemctl', 'restart', 'dnsmasq'], verify: ['systemctl', 'is-active', 'dnsmasq'] },
  kea: { files: ['/etc/kea/kea-dhcp4.conf'], validate: ['kea-dhcp4', '-t', '{file}'], apply: ['systemctl', 'restart', 'kea-dhcp4-server'], verify: ['systemctl', 'is-active', 'kea-dhcp4-server'] },
  unbound: { files: ['/etc/unbound/unbound.conf'], validate: ['unbound-checkconf', '{file}'], apply: ['systemctl', 'reload-or-restart', 'unbound'], verify: ['systemctl', 'is-active', 'unbound'] },
  wireguard: { files: ['/etc/wireguard/wg0.conf'], validate: null, apply: ['systemctl', 'restart', 'wg-quick@wg0'], verify: ['systemctl', 'is-active', 'wg-quick@wg0'] },
  vips: { files: ['/etc/carpd/vips.json'], validate: null, apply: ['carpctl', 'reload'], verify: null },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
