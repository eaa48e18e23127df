import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DrillResult } from '../../../shared/pairing/schema.js';
import { applyUpdate, type ProgressState, type ProgressUpdate } from '../../../renderer/src/pairing/progress.js';
import { Channel, FakePairingSource, REPORT, step, VERIFY_OK } from './fake-source.js';
import { button, click, FW1, FW2, toApply, toVerify } from './wizard.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const lines = (name: string) => [...screen.getByRole('list', { name }).querySelectorAll('li')].map((li) => li.textContent);

describe('pairing wizard, step 4: apply', () => {
  it('shows each step in plain words as it happens, then lets the person verify', async () => {
    const source = new FakePairingSource();
    const live = new Channel<ProgressUpdate<{ applied: boolean }>>();
    source.apply = () => live;
    await toApply(source);
    await live.push({ kind: 'step', step: step(0, 'stage', 'Staging carpd on fw1', 'running', 'primary') });
    expect(lines('Apply progress')).toEqual(['Staging carpd on fw1in progress']);
    expect((button('Continue to verify') as HTMLButtonElement).disabled).toBe(true);
    await live.push({ kind: 'step', step: step(0, 'stage', 'Staging carpd on fw1', 'done', 'primary') }, { kind: 'step', step: step(1, 'validate', 'Validating both configurations', 'done') });
    expect(lines('Apply progress')).toEqual(['Staging carpd on fw1done', 'Validating both configurationsdone']);
    await live.push({ kind: 'done', result: { applied: true } });
    expect(screen.getByRole('status').textContent).toBe('Both firewalls are set up and running as a pair.');
    await click(button('Continue to verify'));
    expect(source.methods().slice(-2)).toEqual(['apply', 'verify']);
  });

  it('on failure shows the error with its fix and what was rolled back, and goes back to the plan', async () => {
    const source = new FakePairingSource();
    source.apply = () => [
      { kind: 'step', step: step(0, 'stage', 'Staging carpd on fw1', 'done', 'primary') },
      { kind: 'step', step: step(1, 'stage', 'Staging carpd on fw2', 'failed', 'secondary') },
      { kind: 'step', step: step(2, 'rollback', 'Restored fw1 as it was', 'done', 'primary') },
      { kind: 'step', step: step(3, 'rollback', 'Restored fw2 as it was', 'done', 'secondary') },
      { kind: 'failed', error: { code: 'config-rejected', message: 'fw2: carpd refused the config: interface eth1 does not exist', fix: 'Run preflight again; the interfaces changed.' } },
    ];
    await toApply(source);
    expect(lines('Apply progress')).toEqual(['Staging carpd on fw1done', 'Staging carpd on fw2failed']);
    expect(lines('Rollback')).toEqual(['Restored fw1 as it wasdone', 'Restored fw2 as it wasdone']);
    expect(screen.getByRole('status').textContent).toBe('Applying failed; both firewalls were put back as they were.');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('interface eth1 does not exist');
    expect(alert.textContent).toContain('Run preflight again; the interfaces changed.');
    expect((button('Continue to verify') as HTMLButtonElement).disabled).toBe(true);
    await click(button('Back to the plan'));
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Plan');
  });

  it('says so when rolling back did not finish', async () => {
    const source = new FakePairingSource();
    source.apply = () => [
      { kind: 'step', step: step(0, 'activate', 'Starting carpd on fw2', 'failed', 'secondary') },
      { kind: 'step', step: step(1, 'rollback', 'Restoring fw1 as it was', 'failed', 'primary') },
      { kind: 'failed', error: { code: 'remote-failed', message: 'fw1: the SSH connection closed during the rollback' } },
    ];
    await toApply(source);
    expect(screen.getByRole('status').textContent).toBe('Applying failed, and rolling back did not finish: check the firewalls listed below.');
    expect(lines('Rollback')).toEqual(['Restoring fw1 as it wasfailed']);
  });
});

describe('pairing wizard, step 5: verify and drill', () => {
  it('shows which node is master of each vhid and the verify checks', async () => {
    await toVerify();
    const masters = screen.getByRole('table', { name: 'Masters' });
    expect([...masters.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['11', `primary (${FW1})`]);
    expect(screen.getByText('The pair is healthy.')).toBeTruthy();
    expect(screen.getByText('Demotion is 0 on both')).toBeTruthy();
  });

  it('holds the drill until the pair verifies healthy', async () => {
    const source = new FakePairingSource();
    source.verify = () => [{ kind: 'done', result: { ...VERIFY_OK, ok: false, masters: [{ vhid: 11, master: null }] } }];
    await toVerify(source);
    expect((button('Start drill') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('The drill starts once the pair verifies healthy.')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Masters' }).textContent).toContain('none or both');
  });

  it('runs the drill only when started, with link loss only when ticked, and shows the interruption per phase', async () => {
    const source = new FakePairingSource();
    const live = new Channel<ProgressUpdate<DrillResult>>();
    source.drill = () => live;
    await toVerify(source);
    expect(source.methods()).not.toContain('drill');
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.change(screen.getByLabelText('TCP echo port on the target (optional)'), { target: { value: '7777' } });
    expect((button('Start drill') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Give the probe target too: the echo port and the namespace belong to it.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Probe target (a host behind the firewall)'), { target: { value: '-f' } });
    expect(screen.getByText('Probe target: "-f" is not an IP address or host name.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Probe target (a host behind the firewall)'), { target: { value: ' 198.51.100.100 ' } });
    fireEvent.change(screen.getByLabelText('TCP echo port on the target (optional)'), { target: { value: '7777' } });
    fireEvent.change(screen.getByLabelText('Probe from network namespace (lab only, optional)'), { target: { value: 'lab-client' } });
    await click(screen.getByLabelText('Also simulate a link loss on the primary'));
    expect(screen.getByRole('note').textContent).toContain("The primary's LAN link is taken down for a moment.");
    await click(button('Start drill'));
    expect(source.calls.at(-1)).toEqual({ method: 'drill', input: { pairing: 'p-1', linkLoss: true, probe: { target: '198.51.100.100', flowPort: 7777, namespace: 'lab-client' } } });
    expect(button('Drill running…')).toBeTruthy();
    await live.push({ kind: 'step', step: step(0, 'drill', `${FW1} enters maintenance`, 'running', 'primary') });
    expect(lines('Drill progress')).toEqual([`${FW1} enters maintenancein progress`]);
    await live.push({
      kind: 'done',
      result: {
        ok: false,
        started: 0,
        finished: 31_000,
        phases: [
          { name: 'maintenance-enter', interruptionMs: 620, probesLost: 6, flowSurvived: true, newMaster: 'secondary' },
          { name: 'link-loss', interruptionMs: 3400, probesLost: 34, flowSurvived: false, newMaster: 'secondary' },
        ],
      },
    });
    const rows = [...screen.getByRole('table', { name: 'Drill results' }).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Primary enters maintenance', '620 ms', '6', 'survived', FW2],
      ['Primary loses its LAN link', '3.4 s', '34', 'broke', FW2],
    ]);
    expect(screen.getByText(/The drill found a problem/).textContent).toContain('Took 31.0 s.');
  });
});

describe('pairing wizard, step 6: report', () => {
  it('downloads the HTML from the report procedure and the JSON report', async () => {
    const source = await toVerify();
    await click(button('Continue to the report'));
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:report';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    await click(button('Download HTML report'));
    await click(button('Download JSON report'));
    const day = new Date(REPORT.created).toISOString().slice(0, 10);
    expect(clicked).toEqual([`office-commissioning-${day}.html`, `office-commissioning-${day}.json`]);
    expect(blobs.map((b) => b.type)).toEqual(['text/html', 'application/json']);
    expect(await blobs[0].text()).toBe(source.html);
    expect(JSON.parse(await blobs[1].text())).toEqual(REPORT);
    expect(within(screen.getByRole('region', { name: 'Commissioning report' })).getByRole('status').textContent).toBe(`Saved office-commissioning-${day}.json.`);
  });
});

describe('pairing wizard, the whole flow', () => {
  it('walks Connect → Preflight → Plan → Apply → Verify & drill → Report calling each procedure once, in order', async () => {
    const source = await toVerify();
    await click(button('Start drill'));
    expect(source.calls.at(-1)?.input).toEqual({ pairing: 'p-1', linkLoss: false });
    expect(screen.getByRole('table', { name: 'Drill results' })).toBeTruthy();
    await click(button('Continue to the report'));
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:report');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await click(button('Download JSON report'));
    expect(source.methods()).toEqual(['start', 'preflight', 'plan', 'apply', 'verify', 'drill', 'report']);
    expect(source.calls.every((c) => c.method === 'start' || c.input.pairing === 'p-1')).toBe(true);
    const steps = [...screen.getByRole('list', { name: 'Pairing steps' }).querySelectorAll('li')].map((li) => `${li.className}:${li.textContent}`);
    expect(steps).toEqual(['done:1 Connect', 'done:2 Preflight', 'done:3 Plan', 'done:4 Apply', 'done:5 Verify & drill', 'current:6 Report']);
    await click(button('Back to verify and drill'));
    expect(screen.getByRole('table', { name: 'Drill results' })).toBeTruthy();
    expect(source.methods().filter((m) => m === 'drill')).toHaveLength(1);
  });
});

describe('step lines', () => {
  it('an outcome reported as a new step ends the action of the same phase and node that was running', () => {
    let s: ProgressState<{ applied: boolean }> = { status: 'running', steps: [], checks: [], result: null, error: null };
    for (const st of [
      step(0, 'stage', 'Staging on fw1', 'running', 'primary'),
      step(1, 'stage', 'Staging on fw2', 'running', 'secondary'),
      step(2, 'stage', 'Staged on fw1', 'done', 'primary'),
      step(3, 'stage', 'fw2 refused the config', 'failed', 'secondary'),
    ])
      s = applyUpdate(s, { kind: 'step', step: st });
    expect(s.steps.map((x) => `${x.message}: ${x.status}`)).toEqual([
      'Staging on fw1: done',
      'Staging on fw2: failed',
      'Staged on fw1: done',
      'fw2 refused the config: failed',
    ]);
  });
});
