// Firecracker boots an ELF vmlinux, not the bzImage Debian ships: this unpacks
// the ELF kernel that a bzImage carries (what Linux's scripts/extract-vmlinux does).
import { gunzipSync } from "node:zlib";

const LZ4_LEGACY_MAGIC = 0x184c2102;
/** Larger than any kernel; guards the allocation against a corrupt size field. */
const MAX_VMLINUX_BYTES = 512 * 1024 * 1024;

/** The compressed kernel inside a bzImage (boot protocol 2.08+: payload_offset, payload_length). */
function bzImagePayload(bzImage: Buffer): Buffer {
  if (bzImage.length < 0x250 || bzImage.toString("latin1", 0x202, 0x206) !== "HdrS") {
    throw new Error("Not a bzImage (no HdrS boot header)");
  }
  const setupSectors = bzImage[0x1f1] || 4;
  const start = (setupSectors + 1) * 512 + bzImage.readUInt32LE(0x248);
  return bzImage.subarray(start, start + bzImage.readUInt32LE(0x24c));
}

/** Decodes one LZ4 block into `output` from `outputOffset`; returns the new output offset. */
function decodeLz4Block(input: Buffer, start: number, end: number, output: Buffer, outputOffset: number): number {
  let inPos = start;
  let outPos = outputOffset;
  const readLength = (length: number): number => {
    if (length !== 15) return length;
    let byte: number;
    do {
      byte = input[inPos++] ?? 0;
      length += byte;
    } while (byte === 255 && inPos < end);
    return length;
  };
  while (inPos < end) {
    const token = input[inPos++] ?? 0;
    const literalLength = readLength(token >> 4);
    input.copy(output, outPos, inPos, inPos + literalLength);
    inPos += literalLength;
    outPos += literalLength;
    if (inPos >= end) break; // The last sequence has literals only.
    const matchOffset = input.readUInt16LE(inPos);
    inPos += 2;
    const matchLength = readLength(token & 15) + 4;
    if (matchOffset === 0 || matchOffset > outPos) throw new Error("Corrupt LZ4 data in the bzImage");
    // Byte by byte: a match may overlap the bytes it produces.
    for (let i = 0; i < matchLength; i++, outPos++) output[outPos] = output[outPos - matchOffset] ?? 0;
  }
  return outPos;
}

/** LZ4 legacy frames followed by the kernel's 4-byte uncompressed size. */
function decompressLz4Legacy(payload: Buffer): Buffer {
  const size = payload.readUInt32LE(payload.length - 4);
  if (size > MAX_VMLINUX_BYTES) throw new Error(`Implausible kernel size ${size} in the bzImage`);
  const output = Buffer.alloc(size);
  let inPos = 4; // The magic.
  let outPos = 0;
  const end = payload.length - 4;
  while (inPos + 4 <= end) {
    const blockSize = payload.readUInt32LE(inPos);
    inPos += 4;
    if (blockSize === LZ4_LEGACY_MAGIC) continue; // Concatenated frames.
    if (inPos + blockSize > end) break;
    outPos = decodeLz4Block(payload, inPos, inPos + blockSize, output, outPos);
    inPos += blockSize;
  }
  if (outPos !== size) throw new Error(`LZ4 kernel decompressed to ${outPos} bytes, expected ${size}`);
  return output;
}

/** The ELF vmlinux inside `bzImage`; gzip and LZ4 (Debian's) compression are supported. */
export function extractVmlinux(bzImage: Buffer): Buffer {
  const payload = bzImagePayload(bzImage);
  let vmlinux: Buffer;
  if (payload.readUInt16BE(0) === 0x1f8b) vmlinux = gunzipSync(payload);
  else if (payload.readUInt32LE(0) === LZ4_LEGACY_MAGIC) vmlinux = decompressLz4Legacy(payload);
  else throw new Error(`The bzImage's kernel is compressed in a format not supported here (magic ${payload.subarray(0, 4).toString("hex")}); gzip and LZ4 are`);
  if (vmlinux.readUInt32BE(0) !== 0x7f454c46) throw new Error("The bzImage's payload is not an ELF kernel");
  return vmlinux;
}
