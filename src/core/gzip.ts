/** The gzip magic number, alone in a module so that checking it does not load the decoder. */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}
