// host:port bind addresses as the flags take them (`:8080`, `127.0.0.1:0`, `[::1]:8080`).

export function parseBindAddress(addr: string): { host: string | undefined; port: number } {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}

/** True for addresses only this machine can reach (what `--api-auth=none` requires). */
export function isLoopback(bindAddress: string): boolean {
  const { host } = parseBindAddress(bindAddress);
  return host !== undefined && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}
