import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FileOpener } from '../../../renderer/src/diagnostics/FileOpener.js';

afterEach(cleanup);

describe('file opener', () => {
  it('accepts a file dropped on it and highlights while dragging', () => {
    const onFile = vi.fn();
    const { container } = render(<FileOpener onFile={onFile} />);
    const zone = container.querySelector('.drop-zone')!;
    const file = new File([new Uint8Array(4)], 'dropped.pcapng');
    fireEvent.dragOver(zone, { dataTransfer: { files: [file], dropEffect: 'none' } });
    expect(zone.className).toContain('dragging');
    fireEvent.drop(zone, { dataTransfer: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(zone.className).not.toContain('dragging');
  });

  it('opens the picked file and lets the same file be picked again', () => {
    const onFile = vi.fn();
    render(<FileOpener onFile={onFile} />);
    const input = screen.getByTestId('capture-input') as HTMLInputElement;
    const file = new File([new Uint8Array(4)], 'site.pcap');
    fireEvent.change(input, { target: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(input.value).toBe('');
  });
});
