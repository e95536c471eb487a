// Draws the toolbar icon (a white check on a blue rounded square) as PNGs, so that the
// repository holds no binary images and the build needs no image tools.
import { deflateSync } from 'node:zlib';

const BLUE = [26, 115, 232];

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function iconPng(size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const r = size * 0.22; // corner radius
  const stroke = size * 0.09;
  const check = [[0.27, 0.53], [0.43, 0.68], [0.74, 0.35]].map(([x, y]) => [x * size, y * size]);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      // Coverage of the rounded square, anti-aliased over one pixel.
      const qx = Math.max(r - cx, cx - (size - r), 0);
      const qy = Math.max(r - cy, cy - (size - r), 0);
      const inside = Math.max(0, Math.min(1, r - Math.hypot(qx, qy) + 0.5));
      const d = Math.min(segmentDistance(cx, cy, check[0], check[1]), segmentDistance(cx, cy, check[1], check[2]));
      const white = Math.max(0, Math.min(1, stroke - d + 0.5));
      const o = y * (size * 4 + 1) + 1 + x * 4;
      for (let i = 0; i < 3; i++) raw[o + i] = Math.round(BLUE[i] * (1 - white) + 255 * white);
      raw[o + 3] = Math.round(255 * inside);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
