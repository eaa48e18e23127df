// The control panel's procedures (nodes over SSH, their status, actions and the merged event timeline).
export const clusterContract = {};
