// The whole preload: forwards the API MessagePort from main to the page. Nothing is exposed on `window`.
import { ipcRenderer } from 'electron';
import { RPC_PORT_MESSAGE } from '../../shared/api/transport.js';

ipcRenderer.on(RPC_PORT_MESSAGE, (event) => {
  window.postMessage(RPC_PORT_MESSAGE, window.location.origin, [...event.ports]);
});
