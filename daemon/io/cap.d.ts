// Types for the parts of the native libpcap binding that carpd uses (the package ships none).
declare module 'cap' {
  export class Cap {
    open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
    close(): void;
    send(buffer: Buffer, nBytes?: number): void;
    on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
  }
}
