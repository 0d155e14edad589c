import type { Browser, Page, TestInfo } from '@playwright/test';
import { writeFileSync } from 'node:fs';

/**
 * Pixel comparison of two PNG screenshots without a PNG library: the browser decodes them.
 *
 * Both images are drawn into canvases in a blank page of its own browser context (so no CSP, init
 * script or route of the page under test applies) and compared channel by channel there.
 */

export interface PixelDiff {
  width: number;
  height: number;
  /** Pixels compared (all pixels minus the ignored ones). */
  compared: number;
  /** Pixels where some channel differs by more than the threshold. */
  differing: number;
  /** differing / compared (1 when the sizes differ). */
  ratio: number;
  /** Set when the two images do not have the same size; nothing else is compared then. */
  sizeMismatch?: string;
  /** Bounding box of the differing pixels, to say where it went wrong. */
  where?: { x: number; y: number; width: number; height: number };
  /** A PNG (data URL) with differing pixels in magenta over a faded copy of `a`. */
  diffImage?: string;
}

export interface CompareOptions {
  /** Largest per-channel difference (0–255) still counted as equal. */
  threshold?: number;
  /**
   * Screenshots of the same widget on differently coloured plain pages: pixels where these
   * differ from each other show the page through (rounded corners, anti-aliased edges,
   * transparent parts) and are ignored, since the page behind legitimately differs.
   */
  ignoreWhereDiffer?: [Buffer, Buffer];
}

/** One blank page per browser (so per worker), reused: opening a page costs more than comparing. */
const canvasPages = new WeakMap<Browser, Promise<Page>>();

function canvasPage(browser: Browser): Promise<Page> {
  let page = canvasPages.get(browser);
  if (!page) {
    page = browser.newPage();
    canvasPages.set(browser, page);
  }
  return page;
}

export async function comparePngs(browser: Browser, a: Buffer, b: Buffer, options: CompareOptions = {}): Promise<PixelDiff> {
  const page = await canvasPage(browser);
  return page.evaluate(
    async ({ a, b, maskA, maskB, threshold }) => {
      const decode = async (base64: string) => {
        const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
        const bitmap = await createImageBitmap(blob);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [ia, ib] = [await decode(a), await decode(b)];
      const masks = maskA && maskB ? [await decode(maskA), await decode(maskB)] : null;
      const size = (i: ImageData) => `${i.width}x${i.height}`;
      if (size(ia) !== size(ib) || masks?.some((m) => size(m) !== size(ia))) {
        return {
          width: ia.width,
          height: ia.height,
          compared: 0,
          differing: ia.width * ia.height,
          ratio: 1,
          sizeMismatch: [ia, ib, ...(masks ?? [])].map(size).join(' vs '),
        };
      }
      const differs = (x: Uint8ClampedArray, y: Uint8ClampedArray, i: number) =>
        Math.abs(x[i]! - y[i]!) > threshold ||
        Math.abs(x[i + 1]! - y[i + 1]!) > threshold ||
        Math.abs(x[i + 2]! - y[i + 2]!) > threshold ||
        Math.abs(x[i + 3]! - y[i + 3]!) > threshold;
      const { width, height } = ia;
      const out = new ImageData(width, height);
      let compared = 0;
      let differing = 0;
      let [minX, minY, maxX, maxY] = [width, height, -1, -1];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          // Faded copy of `a` as the background of the diff image.
          for (let c = 0; c < 3; c++) out.data[i + c] = 255 - (255 - ia.data[i + c]!) / 4;
          out.data[i + 3] = 255;
          if (masks && differs(masks[0]!.data, masks[1]!.data, i)) {
            out.data[i] = out.data[i + 1] = out.data[i + 2] = 200; // ignored: grey
            continue;
          }
          compared++;
          if (differs(ia.data, ib.data, i)) {
            differing++;
            out.data.set([255, 0, 255, 255], i);
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
          }
        }
      }
      let diffImage: string | undefined;
      if (differing > 0) {
        const canvas = new OffscreenCanvas(width, height);
        canvas.getContext('2d')!.putImageData(out, 0, 0);
        const blob = await canvas.convertToBlob({ type: 'image/png' });
        diffImage = await new Promise<string>((done) => {
          const reader = new FileReader();
          reader.onload = () => done(String(reader.result));
          reader.readAsDataURL(blob);
        });
      }
      return {
        width,
        height,
        compared,
        differing,
        ratio: compared ? differing / compared : 0,
        ...(differing ? { where: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 }, diffImage } : {}),
      };
    },
    {
      a: a.toString('base64'),
      b: b.toString('base64'),
      maskA: options.ignoreWhereDiffer?.[0].toString('base64') ?? null,
      maskB: options.ignoreWhereDiffer?.[1].toString('base64') ?? null,
      threshold: options.threshold ?? 16,
    },
  );
}

/** Saves the expected, actual and diff images in the test's output folder and attaches them. */
export async function attachDiff(testInfo: TestInfo, name: string, expected: Buffer, actual: Buffer, diff: PixelDiff): Promise<void> {
  if (!diff.differing && !diff.sizeMismatch) return;
  const images: Array<[string, Buffer]> = [
    ['expected', expected],
    ['actual', actual],
  ];
  if (diff.diffImage) images.push(['diff', Buffer.from(diff.diffImage.split(',')[1]!, 'base64')]);
  for (const [kind, body] of images) {
    const path = testInfo.outputPath(`${name}-${kind}.png`);
    writeFileSync(path, body);
    await testInfo.attach(`${name}-${kind}.png`, { path, contentType: 'image/png' });
  }
}

/** A one-line summary for assertion messages. */
export function describeDiff(diff: PixelDiff): string {
  if (diff.sizeMismatch) return `size differs: ${diff.sizeMismatch}`;
  const where = diff.where ? ` in x=${diff.where.x} y=${diff.where.y} ${diff.where.width}x${diff.where.height}` : '';
  return `${diff.differing} of ${diff.compared} pixels differ (${(diff.ratio * 100).toFixed(2)}%)${where}`;
}
