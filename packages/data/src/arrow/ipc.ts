import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';

/** Serialises a table (schema metadata included) to the Arrow IPC file format. */
export function encodeTable(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

/** Parses Arrow IPC bytes (file or stream format); `what` names the source in errors. */
export function decodeTable(bytes: Uint8Array, what = 'Arrow data'): Table {
  // tableFromIPC quietly returns an empty table for some garbage, so check the framing first.
  if (!hasFileMagic(bytes) && !hasStreamContinuation(bytes)) {
    throw new Error(`${what} is not an Arrow IPC file (no ARROW1 magic or stream header)`);
  }
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new Error(`${what} is not a valid Arrow IPC file: ${(error as Error).message}`, { cause: error });
  }
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

function hasFileMagic(bytes: Uint8Array): boolean {
  if (bytes.length < 2 * MAGIC.length) return false;
  const tail = bytes.length - MAGIC.length;
  return MAGIC.every((b, i) => bytes[i] === b && bytes[tail + i] === b);
}

function hasStreamContinuation(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff;
}
