import { inflateSync } from 'node:zlib';

/**
 * Decodes the PNG screenshots every driver returns (8-bit RGB or RGBA, not interlaced: what
 * Chromium, Firefox and WebKitGTK write) into RGBA pixels, so a journey can look at what a visitor
 * sees in any engine without an image library.
 */

export interface Image {
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function decodePng(png: Uint8Array): Image {
  const data = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!SIGNATURE.every((byte, i) => data[i] === byte)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const compressed: Buffer[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      if (depth !== 8 || !channels || interlace !== 0)
        throw new Error(`unsupported PNG (depth ${depth}, colour ${colour}, interlace ${interlace})`);
    } else if (type === 'IDAT') compressed.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(compressed));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? rows[out + x - channels]! : 0;
      const up = y > 0 ? rows[out - stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? rows[out - stride + x - channels]! : 0;
      rows[out + x] = (line[x]! + predict(filter!, left, up, upLeft)) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: rows };
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rows.length; i += 3, j += 4) {
    pixels.set(rows.subarray(i, i + 3), j);
    pixels[j + 3] = 255;
  }
  return { width, height, pixels };
}

/** The five PNG filters' predictions of a byte from its neighbours. */
function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** The RGBA of every pixel in a rectangle (CSS px; screenshots here are at device pixel ratio 1). */
export function pixelsIn(image: Image, box: { left: number; top: number; right: number; bottom: number }): number[][] {
  const found: number[][] = [];
  for (let y = Math.max(0, Math.ceil(box.top)); y < Math.min(image.height, Math.floor(box.bottom)); y++) {
    for (let x = Math.max(0, Math.ceil(box.left)); x < Math.min(image.width, Math.floor(box.right)); x++) {
      const i = (y * image.width + x) * 4;
      found.push(Array.from(image.pixels.subarray(i, i + 4)));
    }
  }
  return found;
}
