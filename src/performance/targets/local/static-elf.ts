// Tells a statically linked ELF executable from a dynamically linked one.
import { readFile } from "node:fs/promises";

const PT_INTERP = 3;

/** Whether `file` is a 64-bit ELF without a program interpreter (ld.so), i.e. runs alone in an initramfs. */
export async function isStaticElf64(file: string): Promise<boolean> {
  const image = await readFile(file);
  if (image.length < 64 || image.readUInt32BE(0) !== 0x7f454c46 || image[4] !== 2) return false;
  const programHeaderOffset = Number(image.readBigUInt64LE(0x20));
  const programHeaderSize = image.readUInt16LE(0x36);
  const programHeaderCount = image.readUInt16LE(0x38);
  for (let index = 0; index < programHeaderCount; index++) {
    const offset = programHeaderOffset + index * programHeaderSize;
    if (offset + 4 > image.length) return false;
    if (image.readUInt32LE(offset) === PT_INTERP) return false;
  }
  return true;
}
