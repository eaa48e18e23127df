// Types for the parts of the native libpcap binding that carpd uses (the package ships none).
declare module 'cap' {
  export class Cap {
    open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
    close(): void;
    send(buffer: Buffer, nBytes?: number): void;
    on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
    /** Added by build/patch-cap.mjs: the device went down or away; polling has stopped. */
    on(event: 'pollerror', listener: (status: number) => void): this;
  }
}
