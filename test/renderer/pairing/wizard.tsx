// Drives the wizard through its steps with the fake backend's happy answers.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { PairingView } from '../../../renderer/src/pairing/PairingView.js';
import { FakePairingSource, node } from './fake-source.js';

export const FW1 = 'root@10.99.0.2';
export const FW2 = 'root@10.99.0.3';

export async function settle(rounds = 3) {
  for (let i = 0; i < rounds; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
}

export async function click(el: HTMLElement) {
  await act(async () => {
    fireEvent.click(el);
  });
  await settle();
}

export const button = (name: string | RegExp) => screen.getByRole('button', { name });

export async function open(source = new FakePairingSource()) {
  render(<PairingView source={source} />);
  await settle();
  return source;
}

export async function toPreflight(source = new FakePairingSource()) {
  await open(source);
  await source.nodeList.push({ nodes: [node(FW1), node(FW2), node('root@10.99.0.9', 'backoff')] });
  fireEvent.change(screen.getByLabelText('Primary firewall'), { target: { value: FW1 } });
  fireEvent.change(screen.getByLabelText('Secondary firewall'), { target: { value: FW2 } });
  await click(button('Continue to preflight'));
  return source;
}

export async function toPlan(source = new FakePairingSource()) {
  await toPreflight(source);
  await click(button('Continue to plan'));
  return source;
}

export async function toApply(source = new FakePairingSource()) {
  await toPlan(source);
  await click(screen.getByLabelText('I have reviewed the changes on both firewalls'));
  await click(button('Apply to both firewalls'));
  return source;
}

export async function toVerify(source = new FakePairingSource()) {
  await toApply(source);
  await click(button('Continue to verify'));
  return source;
}
