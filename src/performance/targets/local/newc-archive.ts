// A writer for the newc cpio format that the Linux kernel unpacks as an
// initramfs. Owners are root and mtimes 0, so the same inputs give the same bytes.

export type NewcEntry =
  | { kind: "directory"; path: string; mode: number }
  | { kind: "file"; path: string; mode: number; data: Buffer }
  | { kind: "character-device"; path: string; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;
const TRAILER = "TRAILER!!!";

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function padTo4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(name: string, inode: number, mode: number, nlink: number, data: Buffer, rdevMajor = 0, rdevMinor = 0): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`);
  const header =
    "070701" +
    [inode, mode, 0, 0, nlink, 0, data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0].map(hex8).join("");
  const headerAndName = Buffer.concat([Buffer.from(header, "ascii"), nameBytes]);
  return [headerAndName, padTo4(headerAndName.length), data, padTo4(data.length)];
}

/** The archive of `entries`, sorted by path (paths relative, without a leading "/"). */
export function writeNewcArchive(entries: readonly NewcEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  sorted.forEach((entry, index) => {
    const inode = index + 1;
    switch (entry.kind) {
      case "directory":
        parts.push(...record(entry.path, inode, S_IFDIR | entry.mode, 2, Buffer.alloc(0)));
        break;
      case "file":
        parts.push(...record(entry.path, inode, S_IFREG | entry.mode, 1, entry.data));
        break;
      case "character-device":
        parts.push(...record(entry.path, inode, S_IFCHR | entry.mode, 1, Buffer.alloc(0), entry.major, entry.minor));
        break;
    }
  });
  parts.push(...record(TRAILER, 0, 0, 1, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
